/** A 1.2 JSON archive's head and one agent record, as the hand-written archives of the archive tests begin. */

/** A 1.2 JSON archive's opening object up to its kinds (no counts, no checksum). */
export const ARCHIVE_HEAD = `{"format":"resonantgenesis.export","format_version":1,"api_version":"1.2","exported_at":"2024-01-01T00:00:00Z"`;
/** One 1.2 agent, as its record's JSON. */
export const ONE_AGENT = `{"id":"00000000-0000-4000-8000-0000000000a1","object":"agent","name":"a","description":null,"model":"gpt-4o","system_prompt":"p","temperature":0.5,"max_tokens":100,"status":"active","metadata":{},"tool_ids":[],"version":1,"memory_enabled":false,"created_at":"2024-01-01T00:00:00Z","updated_at":"2024-01-01T00:00:00Z"}`;
