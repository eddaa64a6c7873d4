import { afterAll, beforeAll, expect, test } from "vitest";
import { runFixture, startMockChild, type MockInfo } from "./harness.js";

let mock: { info: MockInfo; stop: () => Promise<void> };

beforeAll(async () => {
  mock = await startMockChild();
}, 60_000);

afterAll(() => mock?.stop());

test("a call made from a callback of another call answers, and the outer call still gets its own answer", async () => {
  const { code, stdout } = await runFixture("reentrant", mock.info);
  expect(code).toBe(0);
  // The three agents exist already, so they are skipped; the inner list saw every agent of the account.
  expect(JSON.parse(stdout)).toEqual({ skipped: 3, seenDuringProgress: [mock.info.agentIds.length] });
}, 60_000);

test("a callback that closes the client ends the call it was called from, which says the client is closed", async () => {
  const { code, stdout } = await runFixture("close-in-callback", mock.info);
  expect(code).toBe(0);
  expect(JSON.parse(stdout)).toEqual({ message: "This SyncClient is closed; make a new one." });
}, 60_000);
