/**
 * A newer server's export lines may carry members besides `kind` and `data`, spaced as it likes
 * (docs/protocol.md section 8: new fields on any object). `export`, `copy` and `verify` still take each
 * record's data as its text came (numbers beyond a double, `-0`, escapes), an NDJSON archive keeps the
 * line's own members byte for byte, and what is not kept is said. A newer kind's record that no archive
 * can hold (no data, data not an object, no id) is refused before anything is written. Run as real processes
 * against the mock, its NDJSON export rewritten as text (never parsed and written again).
 */
import { readFile, stat } from "node:fs/promises";
import { createMockApi, DEMO_API_KEY } from "@resonantgenesis/mock";
import type { MockServer } from "@resonantgenesis/mock/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, startHandledMock, tempDir, withBody } from "./helpers.js";

const SEED = { tools: 1, agents: 3, teams: 1, sessions: 1, memories: 2, triggers: 1, webhooks: 1 };
// Fields of the data a double cannot carry as written, and a member of the line after the data.
const EXACT = `"x_big":9007199254740993,"x_frac":12345678.123456789,"x_neg":-0,"x_esc":"\\u00e9\\/",`;
const NEWER = `{"rev":3, "kind":"workflow", "data" : {"id":"wf_1","n":123456789012345678901234567890} }`;

/** The mock's account, its NDJSON export rewritten line by line by `line` (the end line by `end`). */
function rewritten(
  line: (text: string, n: number) => string,
  end: (text: string) => string = (text) => text,
): Promise<MockServer> {
  return startHandledMock(createMockApi({ seed: SEED }), async (request, ask) => {
    const response = await ask(request);
    if (!(response.headers.get("content-type") ?? "").includes("ndjson")) return response;
    const lines = (await response.text()).split("\n").filter(Boolean);
    const body = lines.map((text, n) => (text.startsWith('{"kind":"end"') ? end(text) : line(text, n)));
    return withBody(response, `${body.join("\n")}\n`);
  });
}

/** Runs `test` against the mock's account with `record` sent just before the end line, which counts it. */
async function withNewerLine(record: string, test: (server: MockServer) => Promise<void>): Promise<void> {
  const newer = await rewritten(
    (text) => text,
    (end) => `${record}\n${countingNewer(end)}`,
  );
  try {
    await test(newer);
  } finally {
    await newer.close();
  }
}

// {"kind":"agent","data":{"id":...}} as {"seq":n, "kind":"agent", "data": {<EXACT>"id":...} , "tail":[1.0]}
const withMembers = (text: string, n: number) =>
  text
    .replace(/^\{"kind":("[a-z_]+"),"data":\{/, `{"seq":${n}, "kind":$1, "data": {${EXACT}`)
    .replace(/\}$/, ` , "tail":[1.0]}`);
const countingNewer = (end: string) => end.replace('"counts":{', '"counts":{"workflows":1,');

let server: MockServer;
let served: string[];
let tmp: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  tmp = await tempDir();
  server = await rewritten(withMembers);
  const response = await fetch(`${server.baseURL}/v1/data/export`, {
    headers: { authorization: `Bearer ${DEMO_API_KEY}`, accept: "application/x-ndjson" },
  });
  served = (await response.text()).split("\n").filter((line) => line !== "" && !line.includes('"kind":"end"'));
});
afterAll(async () => {
  await server.close();
  await tmp.remove();
});

describe("export lines with members of their own", () => {
  it("NDJSON: every record line as the server sent it, byte for byte, and no warning", async () => {
    const out = tmp.path("exact.ndjson");
    const run = await cliFor(server, DEMO_API_KEY, tmp.dir)(["export", "--out", out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain("members besides");
    const lines = (await readFile(out, "utf8")).split("\n").filter((l) => l !== "" && !l.startsWith('{"kind":"end"'));
    expect(lines).toEqual(served);
    expect(served.every((line) => line.includes(EXACT) && line.endsWith(' , "tail":[1.0]}'))).toBe(true);
  });

  it("JSON: each record's data as its text came, and the lines' own members said to be left out", async () => {
    const out = tmp.path("exact.json");
    const run = await cliFor(server, DEMO_API_KEY, tmp.dir)(["export", "--out", out]);
    expect(run.code, run.stderr).toBe(0);
    const total = Object.values(SEED).reduce((a, b) => a + b, 0);
    expect(run.stderr).toContain(
      `the account's export: ${total} record line(s) carry members besides "kind" and "data" (first: line 1, "seq"); a JSON archive holds a record's data only, so they are not kept`,
    );
    const text = await readFile(out, "utf8");
    expect(text.split(EXACT).length - 1).toBe(total);
  });

  it("verify of either archive finds every object unchanged (it read rounded numbers as changed)", async () => {
    for (const file of ["exact.ndjson", "exact.json"]) {
      const run = await cliFor(server, DEMO_API_KEY, tmp.dir)(["verify", tmp.path(file)]);
      expect(run.code, `${file}: ${run.stdout}${run.stderr}`).toBe(0);
    }
  });

  it("copy sends each record's data as its text came, and says the lines' own members are not sent", async () => {
    const bodies: string[] = [];
    const into = await startHandledMock(createMockApi({ seed: {} }), async (request, ask) => {
      if (request.method === "POST") bodies.push(await request.clone().text());
      return ask(request);
    });
    try {
      const run = await cliFor(
        server,
        DEMO_API_KEY,
        tmp.dir,
      )(["copy", "--to-base-url", into.baseURL, "--to-key", DEMO_API_KEY]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain("record line(s) carry members besides");
      expect(run.stderr).toContain("import sends a record's data only, so they are not sent");
      const sent = bodies.join("\n");
      expect(sent.split(EXACT).length - 1).toBe(Object.values(SEED).reduce((a, b) => a + b, 0));
    } finally {
      await into.close();
    }
  });
});

describe("a newer kind's lines", () => {
  it("with members of their own, held until the end line, keep their text and members", () =>
    withNewerLine(NEWER, async (newer) => {
      const out = tmp.path("newer.ndjson");
      const run = await cliFor(newer, DEMO_API_KEY, tmp.dir)(["export", "--out", out]);
      expect(run.code, run.stderr).toBe(0);
      expect((await readFile(out, "utf8")).split("\n")).toContain(NEWER);
      const json = tmp.path("newer.json");
      expect((await cliFor(newer, DEMO_API_KEY, tmp.dir)(["export", "--out", json])).code).toBe(0);
      expect(await readFile(json, "utf8")).toContain('"workflows":[\n{"id":"wf_1","n":123456789012345678901234567890}');
    }));

  for (const [record, why] of [
    ['{"kind":"workflow","at":"2026-12-01"}', "has no data"],
    ['{"kind":"workflow","data":[1,2]}', "holds data that is not an object"],
    ['{"kind":"workflow","data":{"key":"theme"}}', 'holds data without a string "id"'],
  ] as const) {
    it(`a record that ${why} is refused, naming it, and nothing is written`, () =>
      withNewerLine(record, async (newer) => {
        const out = tmp.path("refused.json");
        const run = await cliFor(newer, DEMO_API_KEY, tmp.dir)(["export", "--out", out]);
        expect(run.code).toBe(1);
        expect(run.stderr).toContain(`the account's export sends a "workflow" record that ${why}`);
        expect(run.stderr).not.toContain("--resume");
        await expect(stat(out)).rejects.toThrow(/ENOENT/);
      }));
  }
});

describe("a line that names a member twice", () => {
  // JSON.parse keeps the last of the two, a cut of the line the first: which is meant cannot be told.
  const dataOf = (text: string) => text.slice(text.indexOf('"data":') + 7, -1);
  const again = (text: string) => dataOf(text).replace('"id":"', '"id":"z');
  for (const [how, member, rewrite] of [
    ["after the data of a line as resonant writes it", "data", (t: string) => t.replace(/\}$/, `,"data":${again(t)}}`)],
    [
      "in a line spaced otherwise",
      "data",
      (t: string) => t.replace('"data":', '"data" : ').replace(/\}$/, ` , "data" : ${again(t)}}`),
    ],
    ["its kind, before the data", "kind", (t: string) => t.replace(/^\{("kind":"[a-z_]+"),/, "{$1, $1,")],
    ["its kind, after the data", "kind", (t: string) => t.replace(/^(\{("kind":"[a-z_]+"),.*)\}$/, "$1,$2}")],
  ] as const) {
    it(`${member} named twice, ${how}, is refused, naming it, and nothing is written`, async () => {
      const twice = await rewritten((text, n) => (n === 0 ? rewrite(text) : text));
      try {
        const out = tmp.path("twice.ndjson");
        const run = await cliFor(twice, DEMO_API_KEY, tmp.dir)(["export", "--out", out]);
        expect(run.code, run.stderr).toBe(1);
        expect(run.stderr).toMatch(
          new RegExp(`the account's export sends a "[a-z_]+" record line that names its member "${member}" twice`),
        );
        await expect(stat(out)).rejects.toThrow(/ENOENT/);
      } finally {
        await twice.close();
      }
    });
  }
});

describe('a line\'s own member named "text"', () => {
  // The SDK gives each record its line as `text`, which shadows such a member: the line itself still shows it.
  const withText = (text: string) => text.replace(/\}$/, ',"text":"kept"}');
  it("is kept by an NDJSON export, byte for byte, and said by a JSON one", async () => {
    const shadowing = await rewritten((text, n) => (n === 0 ? withText(text) : text));
    try {
      const out = tmp.path("text-member.ndjson");
      const run = await cliFor(shadowing, DEMO_API_KEY, tmp.dir)(["export", "--out", out]);
      expect(run.code, run.stderr).toBe(0);
      const first = (await readFile(out, "utf8")).split("\n")[0]!;
      expect(first).toMatch(/^\{"kind":"[a-z_]+","data":\{.*\},"text":"kept"\}$/);
      const json = await cliFor(shadowing, DEMO_API_KEY, tmp.dir)(["export", "--out", tmp.path("text-member.json")]);
      expect(json.code, json.stderr).toBe(0);
      expect(json.stderr).toContain('1 record line(s) carry members besides "kind" and "data" (first: line 1, "text")');
    } finally {
      await shadowing.close();
    }
  });
});
