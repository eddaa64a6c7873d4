/**
 * fast-check arbitraries of valid 1.0 and 1.1 archives, built from the
 * shapes of the version's schemas (packages/schemas/src/v1.0, v1.1): valid
 * UUIDs, timestamps, enum members and ranges. The property tests check each
 * sample against the version's own `Archive` schema first, so a drift
 * between these and the schemas fails loudly instead of testing nothing.
 */
import { v1_0 } from "@resonantgenesis/schemas";
import fc from "fast-check";

const id = fc.uuid();
const timestamp = fc
  .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2099-12-31T23:59:59Z"), noInvalidDate: true })
  .map((date) => date.toISOString());
const nullableString = fc.option(fc.string(), { nil: null });
const metadata = fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 40 }), {
  maxKeys: 16,
  noNullPrototype: true,
});
const httpsUrl = fc.webUrl({ validSchemes: ["https"] });
const jsonObject = fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), {
  maxKeys: 4,
  noNullPrototype: true,
});

/** A field name no version of the API uses, so a test can follow it through an upgrade. */
const unknownKey = fc.string({ minLength: 1, maxLength: 12 }).map((name) => `x_${name}`);
/** Zero to three unknown fields, with any JSON value, as a newer server might send them. */
export const extraFields = fc.dictionary(unknownKey, fc.jsonValue({ maxDepth: 2 }), {
  maxKeys: 3,
  noNullPrototype: true,
});

type Json = Record<string, unknown>;

/** The arbitrary of `base`, optionally with unknown fields mixed in. */
function withExtras(base: fc.Arbitrary<Json>, extras: boolean): fc.Arbitrary<Json> {
  return extras ? fc.tuple(base, extraFields).map(([record, extra]) => ({ ...extra, ...record })) : base;
}

/** A 1.0 agent. */
export const agent10 = fc.record({
  id,
  object: fc.constant("agent"),
  name: fc.string({ minLength: 1, maxLength: 100 }),
  description: nullableString,
  system_prompt: fc.string(),
  model: fc.constantFrom("gpt-4-turbo", "gpt-4o", "claude-3"),
  temperature: fc.double({ min: 0, max: 2, noNaN: true }),
  max_tokens: fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: null }),
  status: fc.constantFrom("active", "archived"),
  metadata,
  created_at: timestamp,
  updated_at: timestamp,
});

const step = fc.record({
  id,
  object: fc.constant("step"),
  session_id: id,
  step_number: fc.integer({ min: 1, max: 100 }),
  action: fc.constantFrom("think", "plan", "tool_call", "observe", "respond"),
  input: nullableString,
  output: nullableString,
  status: fc.constantFrom("running", "completed", "failed"),
  created_at: timestamp,
});

/** A 1.0 session as exported: with its steps inline. */
export const session10 = fc.record({
  id,
  object: fc.constant("session"),
  agent_id: id,
  goal: fc.string(),
  context: fc.option(jsonObject, { nil: null }),
  status: fc.constantFrom("running", "completed", "failed", "cancelled"),
  result: nullableString,
  steps_completed: fc.nat(),
  tokens_used: fc.nat(),
  metadata,
  created_at: timestamp,
  completed_at: fc.option(timestamp, { nil: null }),
  steps: fc.array(step, { maxLength: 3 }),
});

/** A 1.0 webhook, without its secret (as exports carry it). */
export const webhook10 = fc.record({
  id,
  object: fc.constant("webhook"),
  url: httpsUrl,
  events: fc.subarray(v1_0.WebhookEventType.options, { minLength: 1 }),
  active: fc.boolean(),
  created_at: timestamp,
  updated_at: timestamp,
});

/** A 1.1 custom tool (header values masked, as answers show them). */
export const tool11 = fc.record({
  id,
  object: fc.constant("tool"),
  name: fc.stringMatching(/^[a-zA-Z0-9_-]{1,64}$/),
  description: nullableString,
  parameters: jsonObject,
  endpoint: httpsUrl,
  method: fc.constantFrom("GET", "POST"),
  headers: fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), fc.constant("***"), {
    maxKeys: 3,
    noNullPrototype: true,
  }),
  created_at: timestamp,
  updated_at: timestamp,
});

/** A 1.1 agent: a 1.0 one with the tools it may call. */
export const agent11 = fc
  .tuple(agent10, fc.array(id, { maxLength: 3 }))
  .map(([agent, toolIds]) => ({ ...agent, tool_ids: toolIds }));

const envelope = (version: string) => ({
  format: fc.constant("resonantgenesis.export"),
  format_version: fc.constant(1),
  api_version: fc.constant(version),
  exported_at: timestamp,
});

const list = (item: fc.Arbitrary<Json>, extras: boolean) => fc.array(withExtras(item, extras), { maxLength: 4 });

/** A valid 1.0 archive; with `extras`, every object and the archive itself may carry unknown fields. */
export function archive10({ extras = false } = {}): fc.Arbitrary<Json> {
  const base = fc.record({
    ...envelope("1.0"),
    agents: list(agent10, extras),
    sessions: list(session10, extras),
    webhooks: list(webhook10, extras),
  });
  return withExtras(base, extras);
}

/** A valid 1.1 archive; with `extras`, every object and the archive itself may carry unknown fields. */
export function archive11({ extras = false } = {}): fc.Arbitrary<Json> {
  const base = fc.record({
    ...envelope("1.1"),
    agents: list(agent11, extras),
    sessions: list(session10, extras),
    webhooks: list(webhook10, extras),
    tools: list(tool11, extras),
  });
  return withExtras(base, extras);
}
