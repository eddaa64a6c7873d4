/**
 * Hostile archives, each given to `resonant import` as a real process: every
 * one must be refused with exit 1 and the byte offset of the problem, and
 * nothing may reach the server. Cuts at every structural position run
 * in-process on the same reader (one process per cut would take minutes).
 * A record with numbers a double cannot hold must reach the wire byte for
 * byte. Rules chosen here (docs/guarantees.md, "Archives it reads"): a key written twice
 * in one object is refused; a record over 64 MiB (more than the SDK reads of any
 * answer) is refused as soon as that much of it is read; nesting over 256 levels is refused.
 */
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { createMockApi } from "@resonantgenesis/mock";
import { startMockServer, type MockServer } from "@resonantgenesis/mock/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ArchiveReader } from "../src/archive/reader.js";
import { BIN, cliFor, DEMO_API_KEY, tempDir } from "./helpers.js";

let mock: MockServer;
let bodies: string[];
let tmp: Awaited<ReturnType<typeof tempDir>>;
let cli: ReturnType<typeof cliFor>;

beforeAll(async () => {
  const api = createMockApi({ stepDelayMs: 1 });
  bodies = [];
  const capturing = Object.create(api) as typeof api;
  capturing.fetch = async (request: Request) => {
    if (request.method === "POST") bodies.push(await request.clone().text());
    return api.fetch(request);
  };
  mock = await startMockServer({ api: capturing });
  tmp = await tempDir();
  cli = cliFor(mock, DEMO_API_KEY, tmp.dir);
});

afterAll(async () => {
  await mock?.close();
  await tmp?.remove();
});

/** Each test agent's id (the API's ids are UUIDs), by its short name. */
const ID: Record<string, string> = {
  agt_h1: "00000000-0000-4000-8000-0000000000a1",
  agt_h2: "00000000-0000-4000-8000-0000000000a2",
  agt_big: "00000000-0000-4000-8000-0000000000b1",
  agt_old: "00000000-0000-4000-8000-0000000000c1",
  agt_huge: "00000000-0000-4000-8000-0000000000d1",
};
const AGENT = (name: string, extra = "") =>
  `{"id":"${ID[name]}","object":"agent","name":"n ${name}","description":null,"model":"gpt-4o","system_prompt":"p","temperature":0.5,"max_tokens":100,"status":"active","metadata":{},"tool_ids":[],"version":1,"memory_enabled":false,"created_at":"2024-01-01T00:00:00Z","updated_at":"2024-01-01T00:00:00Z"${extra}}`;

/** A well-formed JSON archive of `records` (agents), with counts and a correct checksum. */
function archive(records: string[]): string {
  const body = `{"format":"resonantgenesis.export","format_version":1,"api_version":"1.2","exported_at":"2024-01-01T00:00:00Z","agents":[\n${records.join(",\n")}\n],"counts":{"agents":${records.length}}`;
  return `${body},"checksum":"sha256:${createHash("sha256").update(body).digest("hex")}"}\n`;
}

/** Runs `import` on `content` (written to a file) and answers the run and the import bodies the server received. */
async function importOf(name: string, content: string | Buffer) {
  const file = tmp.path(name);
  await writeFile(file, content);
  bodies.length = 0;
  const run = await cli(["import", file]);
  return { run, sent: bodies.filter(() => true) };
}

function expectRefused(run: { code: number | null; stderr: string }, sent: string[], offset: number, problem: RegExp) {
  expect(run.code, run.stderr).toBe(1);
  expect(run.stderr).toContain(`byte ${offset}`);
  expect(run.stderr).toMatch(problem);
  expect(sent).toEqual([]);
}

const GOOD = archive([AGENT("agt_h1"), AGENT("agt_h2")]);

describe("refused with the byte offset, nothing sent", () => {
  test("the good archive imports (the baseline every damaged copy below differs from by one defect)", async () => {
    const { run, sent } = await importOf("good.json", GOOD);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(sent).toHaveLength(1);
  });

  test("invalid UTF-8 inside a record's string", async () => {
    const text = GOOD.replace('"n agt_h2"', '"n agt_h2 \u0001"');
    const bytes = Buffer.from(text);
    const at = bytes.indexOf(0x01);
    bytes[at] = 0xc3; // a lead byte followed by '"': ill-formed
    // The checksum is recomputed so that only the encoding is wrong.
    const { run, sent } = await importOf("utf8.json", bytes);
    expectRefused(run, sent, at, /not UTF-8/);
  });

  test("data after the closing '}': the hint does not blame the file's name (the layout comes from the content)", async () => {
    const { run, sent } = await importOf("two.ndjson", GOOD + GOOD);
    expectRefused(run, sent, GOOD.length, /more data after the archive's closing '}'.*NDJSON is told by that line/);
    expect(run.stderr).not.toMatch(/\.ndjson name/);
  });

  test("a file that ends inside a multi-byte character", async () => {
    const bytes = Buffer.concat([Buffer.from(GOOD.slice(0, 100)), Buffer.from("€").subarray(0, 2)]);
    const { run, sent } = await importOf("utf8-cut.json", bytes);
    expectRefused(run, sent, 100, /not UTF-8/);
  });

  test("nesting 100,000 levels deep is a file defect, not a network error", async () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const text = archive([AGENT("agt_h1", `,"x_deep":${deep}`)]);
    const { run, sent } = await importOf("deep.json", text);
    // The record is at level 2 of the archive; its 256th level is the 257th bracket of the run of '['.
    expectRefused(run, sent, text.indexOf("[[[") + 256 - 1, /nested more than 256 levels/);
    expect(run.stderr).not.toMatch(/Connection error|call stack|--resume/);
  });

  test("a key written twice in one object (the rule: refused, since keeping either value would lose the other)", async () => {
    const text = archive([AGENT("agt_h1", `,"x_meta":{"a":1,"a":2}`)]);
    const { run, sent } = await importOf("dup.json", text);
    expectRefused(run, sent, text.indexOf('"a":2'), /key "x_meta\.a" appears twice/);
  });

  test("a stated count that does not match", async () => {
    const body = GOOD.slice(0, GOOD.indexOf(',"checksum"')).replace('"counts":{"agents":2}', '"counts":{"agents":3}');
    const { run, sent } = await importOf("counts.json", `${body}}\n`);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/states 3 agents but holds 2/);
    expect(run.stderr).toMatch(/byte \d+/);
    expect(sent).toEqual([]);
  });

  test("a damaged checksum, and one byte changed under a good checksum", async () => {
    const damaged = GOOD.replace(/sha256:([0-9a-f])/, (_m, c: string) => `sha256:${c === "0" ? "1" : "0"}`);
    const a = await importOf("sum1.json", damaged);
    expectRefused(a.run, a.sent, damaged.indexOf('"sha256:'), /checksum mismatch/);
    const altered = GOOD.replace('"n agt_h1"', '"n agt_hX"');
    const b = await importOf("sum2.json", altered);
    expectRefused(b.run, b.sent, altered.indexOf('"sha256:'), /checksum mismatch/);
    expect(b.run.stderr).not.toMatch(/CR LF/);
  });

  test("saved again by another program: a byte order mark, or line ends turned into CR LF, each said as such", async () => {
    const bom = await importOf("bom.json", `\uFEFF${GOOD}`);
    expectRefused(bom.run, bom.sent, 0, /byte 0 \(line 1, column 1\): the file starts with a UTF-8 byte order mark/);
    const crlf = GOOD.replaceAll("\n", "\r\n");
    const converted = await importOf("crlf.json", crlf);
    expectRefused(
      converted.run,
      converted.sent,
      crlf.indexOf('"sha256:'),
      /checksum mismatch: .*; its lines end in CR LF/,
    );
  });

  test("a record over 64 MiB is refused as it is read; the CLI's peak RSS stays far below the record's size", async () => {
    // 200 MB of one string, streamed to disk: the file the issue measured at 2.7-2.9 GB of RSS.
    const file = tmp.path("huge.json");
    const out = createWriteStream(file);
    const head = `{"format":"resonantgenesis.export","format_version":1,"api_version":"1.2","agents":[\n${AGENT("agt_h1")},\n{"id":"${ID.agt_huge}","name":"`;
    out.write(head);
    const mb = Buffer.alloc(1024 * 1024, 0x61);
    for (let i = 0; i < 200; i++) if (!out.write(mb)) await once(out, "drain");
    out.end(`"}\n]}\n`);
    await once(out, "finish");
    const rssReporter = `data:text/javascript,process.on("exit",()=>process.stderr.write("maxrss_kb="+process.resourceUsage().maxRSS+"\\n"))`;
    const child = spawn(process.execPath, ["--import", rssReporter, BIN, "import", file], {
      env: {
        ...process.env,
        RESONANT_BASE_URL: mock.baseURL,
        RESONANT_API_KEY: DEMO_API_KEY,
        RESONANT_LOG: undefined,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.stdout!.resume();
    bodies.length = 0;
    const [code] = (await once(child, "close")) as [number];
    expect(code, stderr).toBe(1);
    expect(stderr).toContain(`byte ${head.length - `{"id":"${ID.agt_huge}","name":"`.length}`);
    expect(stderr).toMatch(/larger than 67108864 bytes \(64 MiB/);
    expect(bodies).toEqual([]);
    const rssMb = Number(/maxrss_kb=(\d+)/.exec(stderr)?.[1]) / 1024;
    console.info(`peak RSS of resonant import on a 200 MB record: ${rssMb.toFixed(0)} MB`);
    expect(rssMb).toBeLessThan(300);
  }, 120_000);
});

describe("top-level members past their bound (each is kept to be written again)", () => {
  // A file of a million tiny members took a gigabyte before anything was refused.
  const members = (n: number) => Array.from({ length: n }, (_, i) => `"x_m${i}":0`).join(",");

  test("a JSON archive of 10,001 header members is refused at the 10,001st member (the header's three count), nothing sent", async () => {
    const text = GOOD.replace('"exported_at"', `${members(10_001)},"exported_at"`);
    const { run, sent } = await importOf("members.json", text);
    expectRefused(run, sent, text.indexOf('"x_m9997"') + '"x_m9997":'.length, /more than 10000 top-level members/);
  });

  test("a JSON archive of 10,001 kinds, empty or not, likewise", async () => {
    const kinds = Array.from({ length: 10_001 }, (_, i) => `"x_kind${i}s":[]`).join(",");
    const text = GOOD.replace('"exported_at"', `${kinds},"exported_at"`);
    const { run, sent } = await importOf("kinds.json", text);
    expectRefused(run, sent, text.indexOf('"x_kind9997s"') + '"x_kind9997s":'.length, /more than 10000 top-level/);
  });

  test("header members of more than 64 MiB together, each under it, likewise", async () => {
    const half = "a".repeat(33 * 1024 * 1024);
    const text = GOOD.replace('"exported_at"', `"x_a":"${half}","x_b":"${half}","exported_at"`);
    const { run, sent } = await importOf("header-bytes.json", text);
    expectRefused(run, sent, text.indexOf('"x_b"') + '"x_b":'.length, /header members .* of more than 67108864 bytes/);
  });

  test("an NDJSON end line of 10,001 members, likewise", async () => {
    const text = `{"kind":"agent","data":${AGENT("agt_h1")}}\n{"kind":"end","counts":{"agents":1},${members(10_000)}}\n`;
    const { run, sent } = await importOf("members.ndjson", text);
    expectRefused(run, sent, text.indexOf('{"kind":"end"'), /more than 10000 top-level members/);
  });
});

describe("an NDJSON record line with members besides kind and data", () => {
  // Import sends a record's data only, and says so; an NDJSON upgrade writes the rest of the line again, byte for byte.
  const line1 = `{"kind":"agent", "x_seq":7,"data":${AGENT("agt_h1")} ,"x_big":12345678901234567890123,"x_z":-0.0}`;
  const text = `${line1}\n{"kind":"agent","data":${AGENT("agt_h2")}}\n{"kind":"end","counts":{"agents":2}}\n`;
  const note = (why: string) =>
    new RegExp(
      `extras\\.ndjson: 1 record line\\(s\\) carry members besides "kind" and "data" \\(first: line 1, "x_seq"\\); ${why}`,
    );

  test("import says it does not send them", async () => {
    const { run, sent } = await importOf("extras.ndjson", text);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(note("import sends a record's data only, so they are not sent"));
    expect(sent).toHaveLength(1);
  });

  test("an NDJSON upgrade keeps the line's other members exactly, around the upgraded data; a JSON one says it cannot", async () => {
    const out = tmp.path("extras-out.ndjson");
    const upgraded = await cli(["upgrade", tmp.path("extras.ndjson"), "--out", out]);
    expect(upgraded.code, upgraded.stderr).toBe(0);
    expect(upgraded.stderr).not.toMatch(/members besides/);
    const first = (await readFile(out, "utf8")).split("\n")[0]!;
    const [before, after] = line1.split(AGENT("agt_h1"));
    expect(first.startsWith(before!) && first.endsWith(after!), first).toBe(true);
    expect(JSON.parse(first.slice(before!.length, -after!.length))).toEqual(JSON.parse(AGENT("agt_h1")));
    // Read again, the upgraded file is whole (its checksum covers the kept bytes) and still says what it carries.
    const again = await cli(["upgrade", out, "--out", tmp.path("extras-again.ndjson")]);
    expect(again.code, again.stderr).toBe(0);
    expect((await readFile(tmp.path("extras-again.ndjson"), "utf8")).split("\n")[0]).toBe(first);

    const json = await cli(["upgrade", tmp.path("extras.ndjson"), "--out", tmp.path("extras-out.json")]);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stderr).toMatch(note("a JSON archive holds a record's data only, so they are not kept"));
    expect(await readFile(tmp.path("extras-out.json"), "utf8")).not.toContain("x_seq");
  });

  test('a line whose "data" key is written with an escape is cut all the same: the upgrade keeps it byte for byte', async () => {
    const first = `{"kind":"agent","d\\u0061ta":${AGENT("agt_h1", ',"n":9007199254740993')},"x_seq":7}`;
    await writeFile(tmp.path("escaped.ndjson"), `${first}\n{"kind":"end","counts":{"agents":1}}\n`);
    const run = await cli(["upgrade", tmp.path("escaped.ndjson"), "--out", tmp.path("escaped-out.ndjson")]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain("members besides");
    expect((await readFile(tmp.path("escaped-out.ndjson"), "utf8")).split("\n")[0]).toBe(first);
  });
});

describe("the same refusals in an NDJSON archive", () => {
  const line = (record: string) => `{"kind":"agent","data":${record}}\n`;
  const END = `{"kind":"end","counts":{"agents":2}}\n`;

  test("a duplicate key, deep nesting and invalid UTF-8, each at its byte", async () => {
    const dupText = line(AGENT("agt_h1")) + line(AGENT("agt_h2", `,"x":{"k":1,"k":2}`)) + END;
    const dup = await importOf("dup.ndjson", dupText);
    expectRefused(dup.run, dup.sent, dupText.indexOf('"k":2'), /key "data\.x\.k" appears twice/);

    const deepText = line(AGENT("agt_h1")) + line(AGENT("agt_h2", `,"x":${"[".repeat(5000)}${"]".repeat(5000)}`)) + END;
    const deep = await importOf("deep.ndjson", deepText);
    // The line's own object is level 1, its "data" level 2, so the 256th '[' is the first too many.
    expectRefused(deep.run, deep.sent, deepText.indexOf("[[[") + 255, /nested more than 256 levels/);

    const bytes = Buffer.from(line(AGENT("agt_h1")) + line(AGENT("agt_h2")) + END);
    const at = bytes.indexOf("n agt_h2") + 1;
    bytes[at] = 0xff;
    const utf8 = await importOf("utf8.ndjson", bytes);
    expectRefused(utf8.run, utf8.sent, at, /not UTF-8/);
  });
});

describe("cuts at every structural position", () => {
  test("every cut of the archive after a structural byte is refused by the reader, at a byte offset", async () => {
    const text = GOOD;
    const positions = [...text.matchAll(/[{}[\]:,"]/g)]
      .map((m) => m.index + 1)
      .filter((p) => p < text.trimEnd().length);
    expect(positions.length).toBeGreaterThan(100);
    const file = tmp.path("cut.json");
    for (const p of positions) {
      await writeFile(file, text.slice(0, p));
      let error: unknown;
      try {
        for await (const _ of new ArchiveReader({ path: file, name: "cut.json" }).records());
      } catch (e) {
        error = e;
      }
      expect(error, `cut at ${p} was accepted`).toBeInstanceOf(Error);
      expect((error as Error).message, `cut at ${p}`).toMatch(/cut.json: byte \d+/);
    }
  });

  test("a cut archive given to the CLI is refused with the offset of its end", async () => {
    const cut = GOOD.slice(0, GOOD.indexOf('"n agt_h2"') + 3);
    const { run, sent } = await importOf("cut.json", cut);
    expectRefused(run, sent, Buffer.byteLength(cut), /cut \(truncated\)/);
  });

  test("NDJSON: every cut inside a line says the file was cut, not that the JSON is bad", async () => {
    const text = `{"kind":"agent","data":${AGENT("agt_h1")}}\n{"kind":"agent","data":${AGENT("agt_h2")}}\n{"kind":"end","counts":{"agents":2}}\n`;
    const file = tmp.path("cut.ndjson");
    for (const m of text.slice(0, text.trimEnd().length - 1).matchAll(/[{}[\]:,"]/g)) {
      await writeFile(file, text.slice(0, m.index + 1));
      const read = async () => {
        for await (const _ of new ArchiveReader({ path: file, name: "cut.ndjson" }).records());
      };
      await expect(read(), `cut at ${m.index + 1}`).rejects.toThrow(
        /^cut\.ndjson: byte \d+.*: it was cut \(truncated\)$/,
      );
    }
    const second = text.indexOf("\n") + 1;
    const { run, sent } = await importOf("cut-line.ndjson", text.slice(0, text.indexOf('"n agt_h2"')));
    expectRefused(run, sent, second, /line 2: the file ends in the middle of this line .*: it was cut \(truncated\)/);
  });
});

describe("numbers a double cannot hold", () => {
  test("reach the wire exactly as the archive holds them, in JSON and NDJSON archives", async () => {
    const extra = `,"x_big":9007199254740993,"x_huge":123456789012345678901234567890,"x_list":[1e400,-0.12345678901234567891]`;
    const record = AGENT("agt_big", extra);
    const { run, sent } = await importOf("big.json", archive([record]));
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain(record);
    const ndjson = `{"kind":"agent","data":${record}}\n{"kind":"end","counts":{"agents":1}}\n`;
    const nd = await importOf("big.ndjson", ndjson);
    expect(nd.run.code, nd.run.stderr).toBe(0);
    expect(nd.sent[0]).toContain(record);
  });

  test("an upgraded record keeps them too (1.0 -> 1.2 adds fields, rewrites the record without loss)", async () => {
    const record10 = `{"id":"${ID.agt_old}","object":"agent","name":"old","description":null,"model":"gpt-4o","system_prompt":"p","temperature":0.5,"max_tokens":100,"status":"active","metadata":{},"x_n":9007199254740993,"created_at":"2024-01-01T00:00:00Z","updated_at":"2024-01-01T00:00:00Z"}`;
    const body = `{"format":"resonantgenesis.export","format_version":1,"api_version":"1.0","agents":[${record10}]}`;
    const file = tmp.path("old.json");
    await writeFile(file, body);
    const run = await cli(["upgrade", file, "--to", "1.2", "--out", tmp.path("old12.json")]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const upgraded = await readFile(tmp.path("old12.json"), "utf8");
    expect(upgraded).toContain('"x_n":9007199254740993');
    expect(upgraded).toMatch(/"tool_ids":\[\]/);
  });
});

describe("control characters in an archive never act on the terminal", () => {
  // Clears the screen, erases the line above, says "all good", returns to the line's start, reverses
  // what follows, rings the bell, and opens an 8-bit CSI.
  const id = "\u001b[2J\u001b[1A\u001b[2Kall good\r\u202e\u0007\u009b";
  const file = () => tmp.path("controls.json");
  // Everything a terminal would obey rather than show, but tab and newline.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters.
  const ACTING = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

  beforeAll(async () => {
    await writeFile(file(), archive([AGENT("agt_h2").replace(`"id":"${ID.agt_h2}"`, `"id":${JSON.stringify(id)}`)]));
  });

  test("verify shows a hostile id written out as escapes; the differences still read as they are", async () => {
    const run = await cli(["verify", file()]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout + run.stderr).not.toMatch(ACTING);
    expect(run.stdout).toContain("agents \\u001b[2J\\u001b[1A\\u001b[2Kall good\\u000d\\u202e\\u0007\\u009b");
    expect(run.stdout + run.stderr).toMatch(/the account differs from the archive/);
  });

  test("a kind named with them is escaped before the table is measured: the summary stays aligned", async () => {
    const kind = "wo\u001b[2Jrk";
    const text = GOOD.replace(
      /\],"counts"/,
      `],${JSON.stringify(kind)}:[{"id":"w1","object":${JSON.stringify(kind)}}],"counts"`,
    );
    await writeFile(tmp.path("kind.json"), text.replace(/,"checksum":"[^"]+"/, ""));
    const run = await cli(["verify", "kind.json"]);
    expect(run.stdout + run.stderr).not.toMatch(ACTING);
    const table = run.stdout.split("\n").slice(0, 3);
    expect(table.map((line) => line.split(/\s+/)[0])).toEqual(["kind", "agents", "wo\\u001b[2Jrk"]);
    expect(new Set(table.map((line) => line.length)).size).toBe(1);
  });

  test("--json carries the id exactly: its escapes are JSON that reads back the same", async () => {
    const run = await cli(["--json", "verify", file()]);
    expect(run.stdout).not.toMatch(ACTING);
    const summary = run.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line))
      .at(-1);
    expect(summary.missing).toContainEqual({ kind: "agents", id });
  });
});
