/**
 * A server that answers before it has read a request's body (a 413 past its
 * 10 MiB limit, as the account.mock and most gateways do) and closes the connection
 * afterwards. The SDK's Node transport had pooled the socket once the body
 * was handed to it, its last bytes still being written; their EPIPE then came
 * as an 'error' event nobody listened for, and `resonant copy` of an account
 * holding an object over the limit ended with Node's stack dump and exit 1,
 * after logging the refused batch, instead of exit 2. Run as a real process
 * against the account.mock on 127.0.0.1; the kinds copied after the sessions give the
 * server the time to close the connection while the run goes on.
 */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { cliFor, DEMO_API_KEY, useOversizedAccount } from "./helpers.js";

const account = useOversizedAccount({ agents: 1, memories: 400, webhooks: 50 });

describe("an answer that comes before the request's body is read", { timeout: 120_000 }, () => {
  it("is one refused item of a copy (exit 2), not a crash on the socket it leaves", async () => {
    const { key: target } = account.api.createAccount();
    const run = await cliFor(
      account.mock,
      DEMO_API_KEY,
      account.tmp.dir,
    )(["copy", "--to-key", target, "--failures", "failures.ndjson", "--secrets-out", "secrets.ndjson"]);
    expect(run.stderr).not.toMatch(/Unhandled 'error' event|EPIPE|node:events/);
    expect(run.code, run.stderr).toBe(2);
    const failures = (await readFile(account.tmp.path("failures.ndjson"), "utf8")).trim().split("\n");
    expect(failures.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ id: account.session, kind: "sessions", code: "request_too_large", status: 413 }),
    ]);
    // Everything after the refused batch went in.
    expect(run.stdout).toMatch(/^memories\s+400\s+400\s+0\s+0$/m);
    expect(run.stdout).toMatch(/^webhooks\s+50\s+50\s+0\s+0$/m);
  });
});
