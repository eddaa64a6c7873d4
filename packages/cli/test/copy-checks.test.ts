/**
 * What `copy` checks before it sends anything (commands/copy-checks.ts), and
 * how its errors name the account that failed, as real processes against a
 * real mock server on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, startCountingMock, tempDir, type CountingMock } from "./helpers.js";

let mock: CountingMock;
let tmp: Awaited<ReturnType<typeof tempDir>>;
let cli: ReturnType<typeof cliFor>;

beforeAll(async () => {
  mock = await startCountingMock();
  tmp = await tempDir();
  cli = cliFor(mock, "rg_test_sk_unused", tmp.dir);
});
afterAll(async () => {
  await mock.close();
  await tmp.remove();
});

const newAccount = () => mock.api.createAccount().key;

describe("copy to an older version", () => {
  it("is refused naming the target's flag, --to-api-version, before any request", async () => {
    const before = mock.seen.length;
    const run = await cli(["copy", "--to-key", newAccount(), "--to-api-version", "1.0"], {
      env: { RESONANT_API_KEY: newAccount() },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "the source account is API 1.2, newer than the target's 1.0: data is upgraded, never downgraded (use --to-api-version 1.2 or newer)",
    );
    expect(mock.seen.length).toBe(before);
  });
});
