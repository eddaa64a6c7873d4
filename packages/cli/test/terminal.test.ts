/**
 * Output as a person sees it: through a real pseudo-terminal (tmux), progress
 * bars with counts and a rate, a prompt before a restore; through a pipe,
 * plain stable lines with no carriage returns or escape codes.
 */
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, DEMO_API_KEY, startCountingMock, tempDir, type CountingMock } from "./helpers.js";
import { hasTmux, terminal } from "./terminal-helpers.js";

let mock: CountingMock;
let tmp: Awaited<ReturnType<typeof tempDir>>;
let term: ReturnType<typeof terminal>;

beforeAll(async () => {
  mock = await startCountingMock({ seed: { agents: 300, memories: 200, sessions: 5 } });
  tmp = await tempDir();
  term = terminal("resonant-test", { dir: tmp.dir, baseURL: mock.baseURL });
});
afterAll(async () => {
  if (hasTmux) term.close();
  await mock.close();
  await tmp.remove();
});

describe.skipIf(!hasTmux)("through a pseudo-terminal (tmux)", () => {
  it("export draws a bar per kind with counts and a rate, then the summary table", async () => {
    const screen = await term.run("export", ["export", "--out", "tty.json"], DEMO_API_KEY, /EXIT:\d/);
    expect(screen).toMatch(/EXIT:0/);
    expect(screen).toMatch(/^agents\s+█+\s+300\/300\s+\d+\/s\s+done$/m);
    expect(screen).toMatch(/^memories\s+█+\s+200\/200/m);
    expect(screen).toMatch(/^kind\s+exported$/m);
    expect(screen).toMatch(/^total\s+505$/m);
  });

  it("export without --out refuses to pour the archive onto the terminal; --out - still does", async () => {
    const before = mock.seen.length;
    const refused = await term.run("no-out", ["export"], DEMO_API_KEY, /EXIT:\d/);
    expect(refused).toMatch(/EXIT:1/);
    expect(refused.replace(/\n/g, "")).toContain("export: standard output is a terminal: name a file with --out");
    expect(mock.seen.length).toBe(before); // refused before any request
    const asked = await term.run("dash-out", ["export", "--out", "-", "--quiet"], DEMO_API_KEY, /EXIT:\d/);
    expect(asked).toMatch(/"counts":\{/);
    expect(asked).toMatch(/EXIT:0/);
  });

  it("a warning printed while bars are drawn goes above them: each bar ends drawn once, none overwritten", async () => {
    const key = mock.api.createAccount().key;
    // Each kind's first import batch fails once, so a retry warning comes while the earlier kinds' bars are drawn.
    for (const kind of ["agents", "sessions", "memories"])
      mock.api.faults.once({ status: 503, retryAfter: 1, method: "POST", path: `**/${kind}/import`, times: 1 });
    const screen = await term.run("warned", ["import", "tty.json", "--batch-size", "100"], key, /EXIT:\d/);
    expect(screen).toMatch(/EXIT:0/);
    for (const kind of ["agents", "sessions", "memories"]) {
      expect(screen.match(new RegExp(`^warning: retrying POST ${kind}/import in 1 s`, "gm"))).toHaveLength(1);
      expect(screen.match(new RegExp(`^${kind}\\s+█`, "gm")), screen).toHaveLength(1);
    }
    expect(screen).toMatch(/^agents\s+█+\s+300\/300\s+\d+\/s\s+done$/m);
    // Its 5 records came after a retry's 1 s wait: the rate counts from where the kind began, so it is at most 5/s.
    expect(Number(/^sessions\s+█+\s+5\/5\s+(\d+)\/s/m.exec(screen)?.[1])).toBeLessThanOrEqual(5);
    expect(screen.indexOf("warning: retrying POST memories")).toBeLessThan(screen.search(/^agents\s+█/m));
    // Its 5 records came after a retry's 1 s wait: the rate counts from where the kind began, so it is at most 5/s.
    expect(Number(/^sessions\s+█+\s+5\/5\s+(\d+)\/s/m.exec(screen)?.[1])).toBeLessThanOrEqual(5);
  });

  it("restore asks on a terminal and goes on when the answer is y", async () => {
    const key = mock.api.createAccount().key;
    const cli = cliFor(mock, key, tmp.dir);
    expect((await cli(["import", "tty.json", "--quiet"])).code).toBe(0);
    const doc = JSON.parse(await readFile(`${tmp.dir}/tty.json`, "utf8")) as { agents: { id: string }[] };
    await fetch(`${mock.baseURL}/v1.2/agents/${doc.agents[0]!.id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${key}` },
    });
    const screen = await term.run("restore", ["restore", "tty.json"], key, /EXIT:\d/, ["y", "Enter"]);
    expect(screen).toMatch(/create \d+, overwrite 0, delete 0\. Go on\? \[y\/N\] y/);
    expect(screen).toMatch(/EXIT:0/);
    expect((await cli(["verify", "tty.json"])).code).toBe(0);
  });
});

describe("through a pipe", () => {
  it("prints plain, stable lines: no carriage returns, no escape codes", async () => {
    const cli = cliFor(mock, mock.api.createAccount().key, tmp.dir);
    const exported = await cliFor(mock, DEMO_API_KEY, tmp.dir)(["export", "--out", "pipe.json"]);
    expect(exported.code).toBe(0);
    const run = await cli(["import", "pipe.json", "--batch-size", "100"]);
    expect(run.code, run.stderr).toBe(0);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for the ESC a terminal escape starts with.
    expect(run.stdout + run.stderr).not.toMatch(/[\r\u001b]/);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^checked pipe\.json: API 1\.2, 505 records, checksum verified$/);
    expect(lines).toContain("agents: 100/300");
    expect(lines).toContain("agents: 300/300");
    expect(lines).toContain("memories: 200/200");
    expect(run.stdout).toMatch(/^total\s+505\s+505\s+0\s+0$/m);
  });
});
