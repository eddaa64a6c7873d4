import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";
import { NODE_TS, ROOT, startMockChild, type MockInfo } from "./harness.js";

let mock: { info: MockInfo; stop: () => Promise<void> };

beforeAll(async () => {
  mock = await startMockChild();
}, 60_000);

afterAll(() => mock?.stop());

test("a call made from a callback of another call answers, and the outer call still gets its own answer", async () => {
  // In a child: a hang sleeps in Atomics.wait, which no timer of this thread could interrupt.
  const script = fileURLToPath(new URL("./fixtures/reentrant.ts", import.meta.url));
  const child = spawn(process.execPath, [...NODE_TS, script], {
    cwd: ROOT,
    env: { ...process.env, MOCK_KEY: mock.info.demoKey, MOCK_BASE_URL: mock.info.baseURL },
  });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise<number | null | "timeout">((resolve) => {
    const timer = setTimeout(() => resolve("timeout"), 25_000); // tsx boots twice (script and worker)
    child.once("exit", (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  if (code === "timeout") child.kill("SIGKILL");
  expect(code).toBe(0);
  // The three agents exist already, so they are skipped; the inner list saw every agent of the account.
  expect(JSON.parse(stdout)).toEqual({ skipped: 3, seenDuringProgress: [mock.info.agentIds.length] });
}, 60_000);
