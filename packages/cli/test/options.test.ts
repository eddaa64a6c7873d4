// Every option is checked where commander parses it (src/options.ts): a bad
// value ends the run with exit 1 and a message naming the flag and what it
// allows, before any file is written or any request sent.
import { access } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportedAccount } from "./helpers.js";

const VERSIONS = /1\.0, 1\.1, 1\.2/;

let setup: Awaited<ReturnType<typeof exportedAccount>>;

beforeAll(async () => {
  setup = await exportedAccount({ agents: 3 }, "account.json");
}, 60_000);
afterAll(async () => {
  await setup.close();
});

/** Runs the CLI and answers the run and how many requests the mock saw during it. */
async function run(args: readonly string[], env?: Record<string, string | undefined>) {
  const before = setup.mock.seen.length;
  const result = await setup.cli(args, env ? { env } : {});
  return { ...result, sent: setup.mock.seen.length - before };
}

describe("a bad option value: exit 1, the flag and its allowed values named, nothing sent", () => {
  it("with --json, a usage error is an error event on standard output as well", async () => {
    const unknown = await run(["--json", "export", "--bogus"]);
    expect(unknown.code).toBe(1);
    expect(unknown.sent).toBe(0);
    expect(JSON.parse(unknown.stdout)).toEqual({ event: "error", message: "unknown option '--bogus'", exit_code: 1 });
    // The error and a pointer to the usage, not forty lines of help burying it.
    expect(unknown.stderr).toBe("error: unknown option '--bogus'\n(add --help for usage)\n");
    const missing = await run(["--json", "import"]);
    expect(JSON.parse(missing.stdout)).toEqual({
      event: "error",
      message: "missing required argument 'file'",
      exit_code: 1,
    });
  });

  it("--api-version is checked for every command, even one that never calls the API", async () => {
    const out = setup.tmp.path("upgraded.json");
    const result = await run(["upgrade", setup.archive, "--to", "1.2", "--out", out, "--api-version", "1.3"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--api-version/);
    expect(result.stderr).toMatch(/'1\.3'/);
    expect(result.stderr).toMatch(VERSIONS);
    await expect(access(out)).rejects.toThrow(); // nothing written
  });

  it("--api-version before the command, and before the archive is read", async () => {
    const result = await run(["--api-version", "2", "import", setup.tmp.path("no-such-file.json")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--api-version/);
    expect(result.stderr).toMatch(VERSIONS);
    expect(result.stderr).not.toMatch(/no-such-file/);
    expect(result.sent).toBe(0);
  });

  it("--to-api-version of copy, before any key or client is looked at", async () => {
    const result = await run(["copy", "--to-key", "rg_test_target", "--to-api-version", "2.0"], {
      RESONANT_API_KEY: undefined,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--to-api-version/);
    expect(result.stderr).toMatch(VERSIONS);
    expect(result.stderr).not.toMatch(/no API key/);
    expect(result.sent).toBe(0);
  });

  it("--base-url and --to-base-url, from the flag or RESONANT_BASE_URL, before any request", async () => {
    const bad = [
      ["--base-url", "notaurl", ["--base-url", "notaurl", "export"], {}],
      ["--base-url", "ftp://x/api", ["export"], { RESONANT_BASE_URL: "ftp://x/api" }],
      [
        "--to-base-url",
        "127.0.0.1:4010/api",
        ["copy", "--to-key", "rg_test_x", "--to-base-url", "127.0.0.1:4010/api"],
        {},
      ],
    ] as const;
    for (const [flag, value, args, env] of bad) {
      const result = await run(args, env);
      expect(result.code, value).toBe(1);
      expect(result.stderr).toContain(`'${value}'`);
      expect(result.stderr).toContain(`is invalid. ${flag} must be an absolute http(s) URL`);
      if ("RESONANT_BASE_URL" in env) expect(result.stderr).toContain("from env 'RESONANT_BASE_URL'");
      expect(result.sent).toBe(0);
    }
  });

  it("a base URL that ends with the version, which resonant adds itself: refused, naming the URL to use", async () => {
    const flag = await run(["--base-url", "http://127.0.0.1:4010/api/v1.2/", "export"]);
    expect(flag.code).toBe(1);
    expect(flag.stderr).toContain(
      "--base-url ends with an API version (/v1.2), which resonant adds itself (--api-version): use http://127.0.0.1:4010/api",
    );
    expect(flag.sent).toBe(0);
    const env = await run(["export"], { RESONANT_BASE_URL: "https://resonantgenesis.xyz/api/v1.0" });
    expect(env.code).toBe(1);
    expect(env.stderr).toContain("use https://resonantgenesis.xyz/api");
    // The URL to use is shown without a user or password; a query is refused, unshown, before anything is read.
    const secret = await run(["--base-url", "http://u:pw@127.0.0.1:4010/api/v1.2", "export"]);
    expect(secret.stderr).toContain(
      "(/v1.2), which resonant adds itself (--api-version): use http://127.0.0.1:4010/api",
    );
    expect(secret.stderr).not.toContain("pw");
    // However short (`?t=a`), and whatever it shares with the message's words (`#frag`, `?query`).
    const hidden: [string, string, string][] = [
      ["http://127.0.0.1:4010/api/v1.2?token=s3cret", "http://127.0.0.1:4010/api/v1.2?***", "s3cret"],
      ["http://127.0.0.1:4010/api#s3cret", "http://127.0.0.1:4010/api#***", "s3cret"],
      ["http://127.0.0.1:4010/api?t=a", "http://127.0.0.1:4010/api?***", "t=a"],
      ["http://127.0.0.1:4010/api#frag", "http://127.0.0.1:4010/api#***", "#frag"],
      ["http://u:pw@127.0.0.1:4010/api?query", "http://127.0.0.1:4010/api?***", "pw"],
    ];
    for (const [url, shown, secret] of hidden) {
      const query = await run(["--base-url", url, "export"]);
      expect(query.code).toBe(1);
      expect(query.stderr).toContain(
        `--base-url ${shown} has a query or a fragment, which a base URL cannot have (resonant appends the API's paths to it); not shown, as it may hold a credential`,
      );
      expect(query.stderr).not.toContain(secret);
      expect(query.sent).toBe(0);
    }
    // A version-like word elsewhere in the path is not the version, nor is a gateway's own /v1 at the end.
    expect(
      (await run(["--base-url", "http://127.0.0.1:9/gw/v1", "--max-retries", "0", "versions"])).stderr,
    ).not.toContain("ends with an API version");
    expect(
      (await run(["--base-url", "http://127.0.0.1:9/v1.2/api", "--max-retries", "0", "versions"])).stderr,
    ).not.toContain("ends with an API version");
  });

  it("--to of upgrade", async () => {
    const result = await run(["upgrade", setup.archive, "--to", "1.3"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--to/);
    expect(result.stderr).toMatch(VERSIONS);
  });

  it.each([["import"], ["copy"]])("--on-conflict of %s", async (command) => {
    const args = command === "import" ? ["import", setup.archive] : ["copy", "--to-key", "rg_test_target"];
    const result = await run([...args, "--on-conflict", "maybe"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--on-conflict/);
    expect(result.stderr).toMatch(/skip, overwrite, fail/);
    expect(result.sent).toBe(0);
  });

  it.each([["0"], ["1001"], ["2.5"], ["many"], ["0x10"], [" 5"], ["1e2"], [""]])(
    "--batch-size %s: the flag and its range in one message",
    async (value) => {
      for (const args of [
        ["import", setup.archive],
        ["copy", "--to-key", "rg_test_target"],
      ]) {
        const result = await run([...args, "--batch-size", value]);
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(
          `--batch-size must be a whole number from 1 to 1000 in decimal; got "${value}"`,
        );
        expect(result.sent).toBe(0);
      }
    },
  );

  it("a good --batch-size at the maximum is taken", async () => {
    const result = await run(["import", setup.archive, "--batch-size", "1000", "--dry-run"]);
    expect(result.code).toBe(0);
  });

  it("a RESONANT_LOG that names no level is ignored, and the run says so", async () => {
    const result = await run(["import", setup.archive, "--dry-run"], { RESONANT_LOG: "Verbose" });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'RESONANT_LOG="verbose" names no level (off, error, warn, info, debug): it is ignored',
    );
    const good = await run(["import", setup.archive, "--dry-run"], { RESONANT_LOG: "warn" });
    expect(good.stderr).not.toContain("RESONANT_LOG");
  });
});

describe("resonant --help", () => {
  it("lists every exit code the docs promise, an interrupt's 130 included", async () => {
    const result = await run(["--help"]);
    expect(result.code).toBe(0);
    const codes = /Exit codes: ([\s\S]*)$/.exec(result.stdout)?.[1] ?? "";
    for (const meaning of ["0 done", "1 failed", "2 partial", "3 differences", "130 interrupted"])
      expect(codes.replace(/\s+/g, " ")).toContain(meaning);
  });

  it("names the environment variables the options do not: RESONANT_LOG and the proxy's", async () => {
    const { stdout } = await run(["--help"]);
    const environment = /Environment: ([\s\S]*?)\n\n/.exec(stdout)?.[1] ?? "";
    for (const name of ["RESONANT_LOG", "HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY"])
      expect(environment).toContain(name);
  });
});

describe("a key on the command line", () => {
  // Any user of the host reads another's argv (ps, /proc/PID/cmdline): the help says so where the flag is named.
  it.each([
    [["--help"], /--api-key <key>\s+API key \(shown to every user by\s+ps: prefer the\s+variable\)/],
    [
      ["copy", "--help"],
      /--to-key <key>\s+the target account's key \(shown to every user by\s+ps: prefer RESONANT_TO_API_KEY\)/,
    ],
  ])("resonant %s says it is shown by ps and names the variable", async (args, said) => {
    const result = await run(args);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(said);
  });
});
