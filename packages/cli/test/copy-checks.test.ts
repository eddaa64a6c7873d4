/**
 * What `copy` checks before it sends anything (commands/copy-checks.ts), and
 * how its errors name the account that failed, as real processes against a
 * real mock server on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { networkInterfaces } from "node:os";
import { sameServer } from "../src/commands/copy-checks.js";
import { accountOn, cliFor, startCountingMock, tempDir, type CountingMock } from "./helpers.js";

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
const importCalls = () => mock.seen.filter((s) => s.batch !== undefined).length;
/** An account holding agents only, which a target of any version can import. */
const agentsOnly = () => {
  const key = newAccount();
  mock.api.seed({ agents: 3 }, { key });
  return key;
};
const BAD_KEY = "rg_test_sk_not_an_account";

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

describe("copy onto the source account under another spelling of its URL", () => {
  it("is refused before any request: scheme and host case, a loopback name, a trailing slash, a default port", async () => {
    const key = agentsOnly();
    const { port } = new URL(mock.baseURL);
    const before = mock.seen.length;
    for (const [from, to] of [
      [mock.baseURL, `HTTP://127.0.0.1:${port}/api`],
      [mock.baseURL, `http://localhost:${port}/api`],
      [mock.baseURL, `http://[::1]:${port}/api/`],
      // The unspecified address and IPv4-mapped IPv6 connect to this machine too.
      [mock.baseURL, `http://0.0.0.0:${port}/api`],
      [mock.baseURL, `http://0:${port}/api`],
      [mock.baseURL, `http://[::ffff:127.0.0.1]:${port}/api`],
      [mock.baseURL, `http://127.0.0.2:${port}/api`],
      // Never reached: the refusal comes before any request.
      ["https://api.example.invalid/api", "HTTPS://API.example.invalid:443/api/"],
    ]) {
      const run = await cli(
        ["--max-retries", "0", "copy", "--api-version", "1.1", "--to-key", key, "--to-base-url", to!],
        { env: { RESONANT_API_KEY: key, RESONANT_BASE_URL: from } },
      );
      expect(run.code, `${to}: ${run.stderr}`).toBe(1);
      expect(run.stderr).toContain("the target is the source account (the same key at the same base URL)");
      expect(run.stderr).not.toContain(key);
    }
    expect(mock.seen.length).toBe(before);
  });

  it("tells servers apart by scheme, port, host and path", () => {
    expect(sameServer("http://localhost:80/api/", "HTTP://127.0.0.1/api")).toBe(true);
    expect(sameServer("https://u:p@h.example/api", "https://h.example/api")).toBe(true);
    expect(sameServer("http://h.example/api", "https://h.example/api")).toBe(false);
    expect(sameServer("http://127.0.0.1:4010/api", "http://127.0.0.1:4011/api")).toBe(false);
    expect(sameServer("https://a.example/api", "https://b.example/api")).toBe(false);
    expect(sameServer("https://a.example/api", "https://a.example/API")).toBe(false);
    // Every spelling of this machine is one; a name is never resolved (two names of one address may be two servers).
    for (const local of [
      "0.0.0.0",
      "0",
      "127.1",
      "[::]",
      "[::ffff:127.0.0.1]",
      "[::ffff:0.0.0.0]",
      "a.localhost",
      "localhost.",
    ])
      expect(sameServer(`http://${local}:4010/api`, "http://localhost:4010/api"), local).toBe(true);
    for (const { address, family } of Object.values(networkInterfaces()).flatMap((a) => a ?? [])) {
      const host = family === "IPv4" ? address : `[${address}]`;
      if (!address.includes("%")) expect(sameServer(`http://${host}:4010/api`, "http://127.0.0.1:4010/api")).toBe(true);
    }
    expect(sameServer("http://[::ffff:10.0.0.9]:4010/api", "http://localhost:4010/api")).toBe(false);
    expect(sameServer("http://localhost.example:4010/api", "http://localhost:4010/api")).toBe(false);
  });
});

describe("copy into a version that cannot import every kind of the source", () => {
  it("is refused before any import, naming the kinds (counted when the probe saw them all) and --to-api-version", async () => {
    const source = newAccount();
    mock.api.seed({ agents: 30, sessions: 5, webhooks: 1 }, { key: source });
    const target = newAccount();
    const before = importCalls();
    for (const args of [
      ["--api-version", "1.0"],
      ["--api-version", "1.1"],
      ["--api-version", "1.1", "--dry-run"],
    ]) {
      const run = await cli(["copy", ...args, "--to-key", target, "--to-api-version", "1.1"], {
        env: { RESONANT_API_KEY: source },
      });
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain(
        "resonant: API 1.1 can import agents only, and the source account holds some sessions, 1 webhooks: copy into a 1.2 account (--to-api-version 1.2); nothing was sent",
      );
      expect(run.stderr).not.toContain("(--api-version");
    }
    expect(importCalls()).toBe(before);
    expect((await accountOn(mock, target)).agents).toEqual([]);
  });

  it("a 1.1 source's tools are refused by a 1.1 target; a source of agents only goes in", async () => {
    const source = newAccount();
    mock.api.seed({ agents: 2, tools: 2 }, { key: source });
    const target = newAccount();
    const refused = await cli(["copy", "--api-version", "1.1", "--to-key", target, "--to-api-version", "1.1"], {
      env: { RESONANT_API_KEY: source },
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "the source account holds some tools: copy into a 1.2 account (--to-api-version 1.2)",
    );
    const run = await cli(["copy", "--api-version", "1.1", "--to-key", target, "--to-api-version", "1.1", "--quiet"], {
      env: { RESONANT_API_KEY: agentsOnly() },
    });
    expect(run.code, run.stderr).toBe(0);
    expect((await accountOn(mock, target)).agents).toHaveLength(3);
  });
});

describe("a copy's error names the account that failed and its flags", () => {
  const target = /the target \(--to-base-url http:\/\/127\.0\.0\.1:\d+\/api\)/;

  it("a refused target key: the target named, --to-key in the hint, no --resume", async () => {
    const run = await cli(["copy", "--to-key", BAD_KEY, "--checkpoint", "bad-target.checkpoint"], {
      env: { RESONANT_API_KEY: agentsOnly() },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^resonant: ${target.source}: 401 Unauthorized \\[api_key_invalid\\]`, "m"));
    expect(run.stderr).toMatch(/^hint: the key was refused: check --to-key \(or RESONANT_TO_API_KEY\)$/m);
    expect(run.stderr).not.toContain("--resume");
    expect(run.stderr).not.toContain(BAD_KEY);
  });

  it("a refused source key: the source named, --api-key in the hint, no --resume", async () => {
    for (const args of [
      ["--to-api-version", "1.2"],
      ["--api-version", "1.1", "--to-api-version", "1.1"],
    ]) {
      const run = await cli(["copy", "--to-key", newAccount(), ...args, "--checkpoint", "bad-source.checkpoint"], {
        env: { RESONANT_API_KEY: BAD_KEY },
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /^resonant: the source \(--base-url http:\/\/127\.0\.0\.1:\d+\/api\): 401 Unauthorized \[api_key_invalid\]/m,
      );
      expect(run.stderr).toMatch(/^hint: the key was refused: check --api-key \(or RESONANT_API_KEY\)$/m);
      expect(run.stderr).not.toContain("--resume");
    }
  });

  it("an unreachable target: --to-base-url in the hint; --resume, as a retry can get through", async () => {
    const closed = "http://127.0.0.1:9/api"; // the discard port: nothing listens on loopback
    const source = { env: { RESONANT_API_KEY: agentsOnly() } };
    const args = ["--max-retries", "0", "copy", "--to-key", newAccount(), "--to-base-url", closed];
    const run = await cli([...args, "--checkpoint", "closed.checkpoint"], source);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^resonant: the target \(--to-base-url http:\/\/127\.0\.0\.1:9\/api\): Connection error/m,
    );
    expect(run.stderr).toContain(
      "the checkpoint closed.checkpoint keeps what was acknowledged: run again with --resume",
    );
    expect(run.stderr).toMatch(/^hint: no server answered: check --to-base-url and, where the network needs one/m);
    const dry = await cli([...args, "--dry-run"], source);
    expect(dry.code).toBe(1);
    expect(dry.stderr).toMatch(
      /^resonant: the target \(--to-base-url http:\/\/127\.0\.0\.1:9\/api\): Connection error/m,
    );
    expect(dry.stderr).toMatch(/^hint: no server answered: check --to-base-url and/m);
  });

  it("a target version past its sunset (410): --to-api-version in the hint, no --resume", async () => {
    mock.api.setVersionState("1.1", "gone");
    try {
      const args = [
        "--api-version",
        "1.0",
        "--to-key",
        newAccount(),
        "--to-api-version",
        "1.1",
        "--checkpoint",
        "gone.cp",
      ];
      const run = await cli(["copy", ...args], {
        env: { RESONANT_API_KEY: agentsOnly() },
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`^resonant: ${target.source}: 410 Gone \\[api_version_gone\\]`, "m"));
      expect(run.stderr).toMatch(/^hint: the server no longer serves API 1\.1: run again with --to-api-version 1\.2;/m);
      expect(run.stderr).not.toContain("--resume");
    } finally {
      mock.api.setVersionState("1.1", "deprecated");
    }
  });
});
