/**
 * What the SDK's retries and option checks mean for `resonant`, as real processes: a PATCH that meets a
 * rate limit is retried (migrate up completes), a key a CRLF .env file ended with `\r` is refused at once,
 * naming where it came from, `--timeout` past a timer's reach is refused as it is parsed, `versions` keeps
 * to `--max-retries 0`, `migrate test` names only the revisions at fault, and `--help` says what the code does.
 */
import { createServer } from "node:net";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, events, runCli, startCountingMock, tempDir, type CountingMock } from "./helpers.js";
import { migrationSource, MODEL_RENAME, writeMigrations } from "./migrate-helpers.js";

let tmp: Awaited<ReturnType<typeof tempDir>>;
const mocks: CountingMock[] = [];

beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  for (const mock of mocks) await mock.close();
  await tmp.remove();
});

async function seeded(options: Parameters<typeof startCountingMock>[0], agents: number) {
  const mock = await startCountingMock(options);
  mocks.push(mock);
  const { key } = mock.api.createAccount();
  mock.api.seed({ agents }, { key });
  return { mock, key, cli: cliFor(mock, key, tmp.dir) };
}

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("retries and option checks, through resonant", { timeout: 120_000 }, () => {
  it("migrate up against a rate-limited server completes: each PATCH answered 429 is retried", async () => {
    const { mock, key, cli } = await seeded({ rateLimit: { limit: 8, windowSeconds: 2 } }, 30);
    const dir = await writeMigrations(tmp.path("rate-limited"), {
      "0001_m1.mjs": migrationSource({
        revision: "m1",
        downRevision: null,
        up: `await ctx.update("agents", { where: (a) => a.model !== "gpt-4.1-mini", set: { model: "gpt-4.1-mini" } });`,
      }),
    });
    const run = await cli(["--json", "migrate", "up", "--yes", "--no-backup", "--dir", dir], { timeoutMs: 110_000 });
    expect(run.code, run.stderr).toBe(0);
    // The SDK's retry warnings (--json: warning events on stdout).
    expect(run.stdout).toMatch(/retrying PATCH agents\/[0-9a-f-]+ in [\d.]+ s \(retry \d of 6\): 429/);
    expect(mock.seen.some((s) => s.method === "PATCH" && s.status === 429)).toBe(true);
    const res = await fetch(`${mock.baseURL}/v1.2/agents?limit=100`, { headers: { authorization: `Bearer ${key}` } });
    const agents = ((await res.json()) as { data: { model: string }[] }).data;
    expect(agents).toHaveLength(30);
    expect(agents.every((a) => a.model === "gpt-4.1-mini")).toBe(true);
  });

  it("a key ending with a carriage return is refused before anything is sent, naming the flag and variable, with no --resume hint", async () => {
    const { mock, key, cli } = await seeded({}, 3);
    expect((await cli(["export", "--out", "src.json"])).code).toBe(0);
    const before = mock.seen.length;
    const started = Date.now();
    const run = await cli(["import", "src.json"], { env: { RESONANT_API_KEY: `${key}\r` } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /the API key \(--api-key or RESONANT_API_KEY\) ends with a carriage return \(a CRLF \.env file\?\); nothing was sent/,
    );
    expect(run.stderr).not.toMatch(/--resume|retrying|Connection error/);
    expect(run.stderr).not.toContain(key);
    expect(mock.seen.length).toBe(before);
    expect(Date.now() - started).toBeLessThan(10_000);
    // The flag the same way.
    const flag = await runCli(["--base-url", mock.baseURL, "--api-key", ` ${key}`, "versions"]);
    expect(flag.code).toBe(1);
    expect(flag.stderr).toMatch(/the API key \(--api-key or RESONANT_API_KEY\) starts with whitespace/);
  });

  it("--timeout past 2^31-1 ms is refused as it is parsed", async () => {
    const run = await runCli(["--api-key", "x", "--timeout", "2147484", "versions"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--timeout must be at most 2147483\.647 seconds/);
    expect(run.stderr).not.toMatch(/TimeoutOverflowWarning|timed out/);
    const json = await runCli(["--json", "--api-key", "x", "--timeout", "2147484", "versions"]);
    expect(json.code).toBe(1);
    expect(events(json.stdout).at(-1)).toMatchObject({ event: "error", exit_code: 1 });
  });

  it.each([
    ["--timeout", "1e12"],
    ["--timeout", " 5"],
    ["--rate", "1e-9"],
    ["--rate", "0x10"],
    ["--rate", "-1"],
  ])("%s %j: refused as it is parsed, only decimal numbers", async (flag, value) => {
    const run = await runCli(["--api-key", "x", flag, value, "versions"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${flag} must be a positive number in decimal (2, 0.5); got ${JSON.stringify(value)}`);
  });

  it.each(["0.0009", "0.0000001"])(
    "--rate %s, below one request each 1,000 s, is refused as it is parsed",
    async (value) => {
      // Past 2^31-1 ms between requests Node's timer fires at once: a rate this low would not pace at all.
      const run = await runCli(["--api-key", "x", "--rate", value, "versions"]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`--rate must be at least 0.001 (one request each 1000 seconds); got "${value}"`);
      expect(run.stderr).not.toMatch(/TimeoutOverflowWarning/);
    },
  );

  it("--rate 0.001 itself is taken: the first request goes at once", async () => {
    const base = `http://127.0.0.1:${await closedPort()}/api`;
    const run = await runCli([
      "--base-url",
      base,
      "--api-key",
      "x",
      "--max-retries",
      "0",
      "--rate",
      "0.001",
      "versions",
    ]);
    expect(run.code, run.stderr).toBe(0);
  });

  it("versions keeps to --max-retries 0: no retry to announce", async () => {
    const base = `http://127.0.0.1:${await closedPort()}/api`;
    const none = await runCli(["--base-url", base, "--api-key", "x", "--max-retries", "0", "versions"]);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout + none.stderr).not.toMatch(/retrying/);
    // Without it, its one retry.
    const one = await runCli(["--base-url", base, "--api-key", "x", "versions"]);
    expect(one.stderr).toMatch(/retrying GET agents in [\d.]+ s \(retry 1 of 1\)/);
  });

  it("migrate test names only the revisions at fault, in its text as in --json", async () => {
    const { cli } = await seeded({}, 6);
    const toolId = "5b0e5c1e-0000-4000-8000-00000000aaaa";
    const dir = await writeMigrations(tmp.path("one-at-fault"), {
      "0001_a1.mjs": MODEL_RENAME,
      "0002_bbb222.mjs": migrationSource({
        revision: "bbb222",
        downRevision: "a1",
        up: `await ctx.update("agents", { where: (a) => a.name === "agent-2", set: { tool_ids: ["${toolId}"] } });`,
      }),
    });
    const json = await cli(["--json", "migrate", "test", "--dir", dir]);
    expect(json.code, json.stderr).toBe(3);
    const summary = events(json.stdout).at(-1)!;
    expect(summary).toMatchObject({ not_restored: [], not_deterministic: [], failed_revisions: ["bbb222"] });
    expect(summary.failed).toBeGreaterThan(0);
    const text = await cli(["migrate", "test", "--dir", dir]);
    expect(text.code).toBe(3);
    expect(text.stdout + text.stderr).toMatch(/migrate test found problems: writes refused in bbb222 \(on a copy/);
    expect(text.stdout + text.stderr).not.toMatch(/found .*a1/);
  });

  it("--help says what the code does: the backup's name, the failure log's fields, migrate's concurrency", async () => {
    const global = await runCli(["--help"]);
    expect(global.stdout.replace(/\s+/g, " ")).toMatch(
      /--concurrency <n> batches in flight at once \(default 1; for migrate, writes, default 8\)/,
    );
    const docs = await readFile(new URL("../../../docs/migrate.md", import.meta.url), "utf8");
    expect(docs).toMatch(/writes in flight at once \(default 8 for `migrate`\)/);
    for (const direction of ["up", "down"]) {
      const help = (await runCli(["migrate", direction, "--help"])).stdout.replace(/\s+/g, " ");
      expect(help).toContain("(default ./backups/<time>-<revision>-<up or down>.json)");
      expect(help).toContain("(NDJSON: id, kind, code, message, request_id, status; never a key or secret)");
    }
    expect(docs).toContain("`./backups/<time>-<revision>-<up or down>.json`");
    expect(docs).toContain('`{"id", "kind", "code", "message", "request_id", "status"}`');
  });
});
