/**
 * `migrate up` at a terminal (tmux, a real pseudo-terminal): the plan's
 * summary is shown and confirmed; no means nothing written, yes applies.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, startCountingMock, tempDir, type CountingMock } from "./helpers.js";
import { ledgerOf, MODEL_RENAME, snapshot, writeMigrations } from "./migrate-helpers.js";

const hasTmux = spawnSync("tmux", ["-V"]).status === 0;
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const SOCKET = `resonant-migrate-test-${process.pid}`;
const tmux = (...args: string[]) => spawnSync("tmux", ["-L", SOCKET, ...args], { encoding: "utf8" });

let mock: CountingMock;
let tmp: Awaited<ReturnType<typeof tempDir>>;
let key: string;

beforeAll(async () => {
  mock = await startCountingMock();
  key = mock.api.createAccount().key;
  mock.api.seed({ agents: 12 }, { key });
  tmp = await tempDir();
  await writeMigrations(tmp.path("migrations"), { "0001_a1.mjs": MODEL_RENAME });
});
afterAll(async () => {
  if (hasTmux) tmux("kill-server");
  await mock.close();
  await tmp.remove();
});

/** Runs `resonant migrate up` in a fresh tmux window, answers the prompt with `answer`; the screen once it exited. */
async function upAnswering(name: string, answer: string): Promise<string> {
  const cmd = `cd '${tmp.dir}' && env RESONANT_BASE_URL='${mock.baseURL}' RESONANT_API_KEY='${key}' '${process.execPath}' --conditions=@resonantgenesis/source --import '${TSX}' '${BIN}' migrate up --no-backup; echo "EXIT:$?"; sleep 60`;
  expect(tmux("new-session", "-d", "-s", name, "-x", "150", "-y", "50", cmd).status).toBe(0);
  let screen = "";
  let sent = false;
  for (let i = 0; i < 600; i++) {
    await new Promise((r) => setTimeout(r, 50));
    screen = tmux("capture-pane", "-p", "-t", name).stdout;
    if (!sent && /\[y\/N\]/.test(screen)) {
      tmux("send-keys", "-t", name, answer, "Enter");
      sent = true;
    }
    if (/EXIT:\d/.test(screen)) return screen;
  }
  throw new Error(`migrate up never ended:\n${screen}`);
}

describe.skipIf(!hasTmux)("migrate up at a terminal", { timeout: 60_000 }, () => {
  it("shows the plan and asks: n writes nothing (exit 1), y applies (exit 0)", async () => {
    const before = await snapshot(mock, key);
    const no = await upAnswering("no", "n");
    expect(no).toMatch(/up a1: update 12 agents\. Go on\? \[y\/N\] n/);
    expect(no).toMatch(/not confirmed; nothing was written/);
    expect(no).toMatch(/EXIT:1/);
    expect(await snapshot(mock, key)).toEqual(before);
    expect(await ledgerOf(mock, key)).toEqual([]);

    const yes = await upAnswering("yes", "y");
    expect(yes).toMatch(/EXIT:0/);
    expect(await ledgerOf(mock, key)).toEqual([{ revision: "a1", state: "applied", direction: "up" }]);
  });
});
