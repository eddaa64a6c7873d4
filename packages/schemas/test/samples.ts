/**
 * Objects written from docs/protocol.md (the agent of its section 7 example),
 * shared by the tests of the schemas, the SDK and the mock.
 */

/** When every sample was made and last changed. */
export const NOW = "2026-11-24T10:00:00Z";

/** A 1.0 agent with every field the protocol lists for it, and no other. */
export const AGENT_10 = {
  id: "0b7c4f6e-2a51-4d38-9c1e-7f2d8a6b5e10",
  object: "agent",
  name: "triage",
  description: null,
  system_prompt: "",
  model: "gpt-4-turbo",
  temperature: 0.7,
  max_tokens: null,
  status: "active",
  metadata: {},
  created_at: NOW,
  updated_at: NOW,
} as const;

/** The same agent as 1.2 has it. */
export const AGENT_12 = { ...AGENT_10, tool_ids: [], version: 1, memory_enabled: false } as const;
