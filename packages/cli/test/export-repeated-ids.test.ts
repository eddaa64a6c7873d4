/**
 * A server that sends one object twice in its export (a bug on its side, or a
 * page boundary that moved under a live account in 1.0/1.1's paged export).
 * `export` wrote both, with exit 0, into an archive that `import`, `verify`
 * and `restore` then refused ("an id comes twice in one kind"): a backup
 * found unusable only when it was needed. Export now stops naming the kind
 * and id, and leaves no file (a file is read back before it is renamed into
 * place, to confirm the ids' fingerprints); to standard output, which cannot
 * be read back, it stops at the repeat, before the archive's end. The mock's
 * answers are rewritten on the way out: 1.2's NDJSON lines, 1.1's export
 * pages. `copy` sent both to the target without a word, where `--on-conflict`
 * kept one (skip: the first, counted "skipped"): it now says so, naming the
 * object. Run as real processes.
 */
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { DEMO_API_KEY } from "@resonantgenesis/mock";
import { describe, expect, it } from "vitest";
import { accountOn, cliFor, exportPlainThenOdd, warningless } from "./helpers.js";
import { useServerSendingTwice } from "./sends-twice.js";

const server = useServerSendingTwice();

const refused = (places: string, ending: string) =>
  `resonant: agents "${server.repeated}" comes twice in one kind of what the server sent${places}: an archive holds each object once, and import, verify and restore would refuse the whole archive; ${ending}. Run it again (a live account's export pages can move under a run); if it comes again, the server sends that object twice\n`;

describe("an object the server's export sends twice", { timeout: 60_000 }, () => {
  it("is refused by export to a file, JSON, NDJSON or gzip, 1.2's stream or 1.1's pages: no file is left", async () => {
    const cli = cliFor(server.mock, DEMO_API_KEY, server.tmp.dir);
    for (const [version, out, place] of [
      ["1.2", "twice.json", "(agents[1] and agents[2])"],
      ["1.2", "twice.ndjson", "(agents[1] and agents[2])"],
      ["1.2", "twice.json.gz", "(agents[1] and agents[2])"],
      ["1.1", "twice-1.1.ndjson", "(agents[1] and agents[3])"],
    ] as const) {
      const run = await exportPlainThenOdd(cli, version, out, (on) =>
        on ? server.sendTwice(version) : server.sendOnce(),
      );
      expect(run.code, `${version} ${out}: ${run.stderr}`).toBe(1);
      expect(warningless(run.stderr)).toBe(refused(` ${place}`, "nothing was written"));
      expect(existsSync(server.tmp.path(out))).toBe(false);
    }
    // Neither the refused archives nor their temporary files stay beside the good ones.
    expect((await readdir(server.tmp.dir)).sort()).toEqual(
      ["plain-twice-1.1.ndjson", "plain-twice.json", "plain-twice.json.gz", "plain-twice.ndjson"].sort(),
    );
  });

  it("is refused by export to standard output at the repeat, before the archive's end", async () => {
    const cli = cliFor(server.mock, DEMO_API_KEY, server.tmp.dir);
    server.sendTwice("1.2");
    const run = await cli(["--max-retries", "0", "export", "--format", "ndjson"]);
    expect(run.code, run.stderr).toBe(1);
    expect(warningless(run.stderr)).toBe(refused("", "what was written stops here, without the archive's end"));
    // No end line: every reader refuses what was written as cut short, as it would an interrupted export.
    expect(run.stdout).not.toContain('"kind":"end"');
    expect(run.stdout).not.toContain("checksum");
  });

  it("is named by copy, which sends both as before: the target's --on-conflict keeps one", async () => {
    const cli = cliFor(server.mock, DEMO_API_KEY, server.tmp.dir);
    server.sendTwice("1.2");
    const target = server.api.createAccount().key;
    const warning = `warning: the source's export sends agents "${"ID"}" twice in its kind (its export pages may have moved under the run, or the server sends it twice): the copy sends both, and --on-conflict skip keeps the first in the target (the second counts as skipped)\n`;
    const plan = await cli(["--max-retries", "0", "copy", "--to-key", target, "--dry-run"]);
    expect(plan.code, plan.stderr).toBe(3);
    expect(warningless(plan.stderr)).toBe("");
    expect(plan.stderr).toBe(warning.replace("ID", server.repeated));

    const run = await cli(["--max-retries", "0", "copy", "--to-key", target, "--checkpoint", "copy.checkpoint"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(warning.replace("ID", server.repeated));
    expect(run.stdout).toMatch(/^agents +4 +3 +1 +0$/m);
    server.sendOnce();
    const copied = (await accountOn(server.mock, target)) as { agents: { id: string }[] };
    const source = (await accountOn(server.mock, DEMO_API_KEY)) as { agents: { id: string }[] };
    expect(copied.agents.map((a) => a.id)).toEqual(source.agents.map((a) => a.id));
  });
});
