/**
 * A JSON syntax error inside a record is said at the byte of the file where
 * it is, with that byte's line and column: not at the record's first byte
 * with V8's "position N" (UTF-16 units from the record's start), which
 * points nowhere in the file once a record is deep in it or holds a
 * character of several bytes. Run as users run it: `resonant upgrade`.
 */
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { ARCHIVE_HEAD as HEAD, ONE_AGENT as AGENT } from "./archive-fixtures.js";
import { runCli, tempDir } from "./helpers.js";

const tmp = await tempDir();
afterAll(() => tmp.remove());

/** `resonant upgrade` of `content` written as `name`: its run and whether it wrote an output. */
async function upgradeOf(name: string, content: string) {
  await writeFile(tmp.path(name), content);
  const out = tmp.path(`up-${name}`);
  const run = await runCli(["upgrade", tmp.path(name), "--out", out], { cwd: tmp.dir });
  return { run, wrote: existsSync(out) };
}

/** The byte offset, line and column (both from 1, the column in bytes) of the first `mark` in `content`. */
function whereIs(content: string, mark: string) {
  const byte = Buffer.from(content).indexOf(mark);
  const before = Buffer.from(content).subarray(0, byte).toString();
  const line = before.split("\n").length;
  return { byte, line, column: byte - Buffer.byteLength(before.slice(0, before.lastIndexOf("\n") + 1)) + 1 };
}

// A second agent on its own lines, whose name holds characters of two, three and four bytes before the mistake.
const BROKEN = AGENT.replace('"name":"a"', '"name":"é—😀",,"x":1').replace(/"id":"[^"]+"/, '"id":"agt_2"');

describe("a JSON syntax error inside a record", () => {
  it("JSON archive: the byte of the stray comma, its line and its column; nothing written", async () => {
    const content = `${HEAD},\n"agents":[\n${AGENT},\n  ${BROKEN}\n]}\n`;
    const { run, wrote } = await upgradeOf("comma.json", content);
    const at = whereIs(content, ",,");
    expect(run.code, run.stderr).toBe(1);
    // V8 names the character after the first comma (where a property name was expected).
    expect(run.stderr).toBe(
      `resonant: ${tmp.path("comma.json")}: byte ${at.byte + 1} (line ${at.line}, column ${at.column + 1}): not valid JSON here: Expected double-quoted property name\n`,
    );
    expect(wrote).toBe(false);
  });

  it("NDJSON archive: the byte of the stray comma and its line and column", async () => {
    const content = `{"kind":"agent","data":${AGENT}}\n{"kind":"agent","data":${BROKEN}}\n{"kind":"end"}\n`;
    const { run, wrote } = await upgradeOf("comma.ndjson", content);
    const at = whereIs(content, ",,");
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toBe(
      `resonant: ${tmp.path("comma.ndjson")}: byte ${at.byte + 1}: line 2, column ${at.column + 1}: not valid JSON: Expected double-quoted property name\n`,
    );
    expect(wrote).toBe(false);
  });

  it("a bad escape after characters of two to four bytes: the byte of the escaped character, not a UTF-16 count", async () => {
    const bad = AGENT.replace('"name":"a"', '"name":"é—😀\\q"');
    const content = `${HEAD},"agents":[\n${bad}]}\n`;
    const { run } = await upgradeOf("escape.json", content);
    const at = whereIs(content, "\\q");
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(
      `: byte ${at.byte + 1} (line 2, column ${at.column + 1}): not valid JSON here: Bad escaped character\n`,
    );
  });

  it("a message without a position (an unexpected token) keeps V8's words and the record's first byte", async () => {
    const bad = AGENT.replace('"description":null', '"description":nul');
    const content = `${HEAD},"agents":[${AGENT},${bad}]}\n`;
    const { run } = await upgradeOf("token.json", content);
    const start = Buffer.from(content).indexOf(bad);
    expect(run.code, run.stderr).toBe(1);
    // V8 quotes the text around the token (its words differ between V8 versions, so only their start is pinned).
    expect(run.stderr).toContain(
      `: byte ${start} (line 1, column ${start + 1}): not valid JSON here: Unexpected token ','`,
    );
  });
});
