import { afterAll, beforeAll, describe, expect, test } from "vitest";
import fc from "fast-check";
import { createMockApi, DEMO_API_KEY } from "@resonantgenesis/mock";
import {
  isExactNumber,
  JsonNumber,
  jsonStringEnd,
  parseLossless,
  RawJson,
  RequestValidationError,
  ResonantClient,
  stringifyLossless,
  type Fetch,
} from "@resonantgenesis/sdk";
import { startFaultyServer, type FaultyServer } from "./faulty-server.js";

describe("parseLossless / stringifyLossless", () => {
  test("a number a double cannot hold keeps its source text, through parse and stringify", () => {
    const text =
      '{"a":9007199254740993,"b":123456789012345678901234567890,"c":[1.5,-0.1234567890123456789],"d":1e400,"s":"9007199254740993 in a string","n":12}';
    const value = parseLossless(text) as Record<string, unknown>;
    expect(value.a).toBeInstanceOf(JsonNumber);
    expect(String(value.a)).toBe("9007199254740993");
    expect((value.b as JsonNumber).text).toBe("123456789012345678901234567890");
    expect((value.c as unknown[])[0]).toBe(1.5);
    expect((value.c as unknown[])[1]).toBeInstanceOf(JsonNumber);
    expect(value.d).toBeInstanceOf(JsonNumber);
    expect(value.s).toBe("9007199254740993 in a string");
    expect(value.n).toBe(12);
    expect(stringifyLossless(value)).toBe(text);
    // What JSON.parse does, and what this module exists to prevent.
    expect(JSON.stringify(JSON.parse(text))).not.toBe(text);
  });

  test("text with only exact numbers parses exactly as JSON.parse does", () => {
    const text = '{"x":[1,2.5,-3e2,9007199254740991,0.1],"y":{"z":null,"t":true}}';
    expect(parseLossless(text)).toEqual(JSON.parse(text));
  });

  test("given the text's JSON.parse, answers it when no number needs keeping, and parses without loss otherwise", () => {
    const exact = '{"n":[1,2.5,9007199254740991]}';
    const parsed = JSON.parse(exact);
    expect(parseLossless(exact, parsed)).toBe(parsed);
    const inexact = '{"n":[1,9007199254740993]}';
    const rounded = JSON.parse(inexact);
    const kept = parseLossless(inexact, rounded) as { n: unknown[] };
    expect(kept).not.toBe(rounded);
    expect(kept.n[1]).toEqual(new JsonNumber("9007199254740993"));
  });

  test("a string that looks like the internal marker stays a string", () => {
    const text = '{"s":"\\u0000:0","big":90071992547409930}';
    const value = parseLossless(text) as Record<string, unknown>;
    expect(value.s).toBe("\u0000:0");
    expect(String(value.big)).toBe("90071992547409930");
  });

  test("isExactNumber tells the numbers a double holds from those it rounds", () => {
    for (const exact of ["0", "-0", "1.5", "9007199254740992", "1e21", "1.0", "0.1", "123456789012345"])
      expect(isExactNumber(exact), exact).toBe(true);
    for (const inexact of [
      "9007199254740993",
      "1e400",
      "1e-400",
      "0.12345678901234567891",
      "123456789012345678901234567890",
    ])
      expect(isExactNumber(inexact), inexact).toBe(false);
  });

  test("property: any JSON text of integers, however large, round-trips byte for byte", () => {
    const big = fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String);
    const doc = fc.dictionary(
      fc.string({ maxLength: 5 }),
      fc.oneof(
        big,
        fc.array(big, { maxLength: 4 }).map((a) => `[${a.join(",")}]`),
      ),
      { maxKeys: 6 },
    );
    fc.assert(
      fc.property(doc, (members) => {
        const text = `{${Object.entries(members)
          .map(([k, v]) => `${JSON.stringify(k)}:${v}`)
          .join(",")}}`;
        expect(stringifyLossless(parseLossless(text))).toBe(text);
      }),
    );
  });

  test("an integer a double holds exactly but writes in other digits keeps its own (1e21 and up, -0)", () => {
    for (const text of ["[1192092895507812500000000000000000]", "[-1000000000000000000000]", "[-0]"]) {
      expect(stringifyLossless(parseLossless(text))).toBe(text);
    }
  });

  test("a negative zero keeps its sign however it is written (-0.0, -0e5): JSON.stringify would write 0", () => {
    for (const text of ["[-0.0]", "[-0e5]", "[-0.000E-2]", '{"f":-0.0,"g":1}']) {
      expect(stringifyLossless(parseLossless(text))).toBe(text);
    }
  });

  test("stringifyLossless writes as JSON.stringify for plain values (toJSON, undefined, bigint)", () => {
    const value = { a: undefined, b: [undefined, () => 1], c: new Date(0), d: 10n ** 20n, e: "\u2028" };
    expect(stringifyLossless(value)).toBe(
      '{"b":[null,null],"c":"1970-01-01T00:00:00.000Z","d":100000000000000000000,"e":"\u2028"}',
    );
  });
});

describe("jsonStringEnd", () => {
  test("steps over escaped quotes and stops at the first quote an even run of backslashes leaves open", () => {
    const text = String.raw`{"a\"b\\":1}`;
    expect(jsonStringEnd(text, 2)).toBe(text.indexOf(":"));
    expect(jsonStringEnd(String.raw`"\\"x`, 1)).toBe(4);
  });

  test("is the text's length when the string is not closed", () => {
    expect(jsonStringEnd(String.raw`"abc\"`, 1)).toBe(6);
    expect(jsonStringEnd(String.raw`"\"`, 1)).toBe(3);
  });

  test("ends where JSON.parse ends a string, for any string", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (s, tail) => {
        const text = `${JSON.stringify(s)}${JSON.stringify(tail)}`;
        expect(jsonStringEnd(text, 1)).toBe(JSON.stringify(s).length);
      }),
    );
  });
});

describe("importBatch with RawJson items", () => {
  const api = createMockApi();
  const bodies: string[] = [];
  const viaMock: Fetch = async (input, init) => {
    const request = new Request(input, init);
    if (request.method === "POST") bodies.push(await request.clone().text());
    return api.fetch(request);
  };

  test("the item's text is sent byte for byte; the check runs on its value", async () => {
    const client = new ResonantClient({ apiKey: DEMO_API_KEY, fetch: viaMock, logLevel: "off", maxRetries: 0 });
    const text =
      '{"id":"agt_big_1","object":"agent","name":"big","description":null,"model":"m","system_prompt":"p","temperature":0.5,"max_tokens":100,"status":"active","metadata":{},"tool_ids":[],"version":1,"memory_enabled":false,"created_at":"2024-01-01T00:00:00Z","updated_at":"2024-01-01T00:00:00Z","x_counter":9007199254740993}';
    bodies.length = 0;
    await client.data.importBatch("agents", [new RawJson(text)], { onConflict: "overwrite" }).catch(() => undefined);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toBe(`{"agents":[${text}],"on_conflict":"overwrite"}`);
  });

  describe("on the Node transport, retried", () => {
    let server: FaultyServer;
    beforeAll(async () => {
      server = await startFaultyServer();
    });
    afterAll(() => server.close());

    test("every attempt sends the batch's exact text, with its byte length announced", async () => {
      // The text is read once per call and its bytes reused by the retry: a multi-byte name and digits past 2^53.
      const items = Array.from(
        { length: 3 },
        (_, i) =>
          `{"id":"agt_${i}","object":"agent","name":"é€😀 ${i}","description":null,"model":"m","system_prompt":"p","temperature":0.5,"max_tokens":100,"status":"active","metadata":{},"tool_ids":[],"version":1,"memory_enabled":false,"created_at":"2024-01-01T00:00:00Z","updated_at":"2024-01-01T00:00:00Z","x_counter":9007199254740993}`,
      );
      server.routes.set("POST /agents/import", (_req, res, n) => {
        if (n === 0) return void res.writeHead(503, { "content-type": "application/json" }).end("{}");
        res.writeHead(200, { "content-type": "application/json" }).end('{"imported":3,"skipped":0,"failed":[]}');
      });
      const client = new ResonantClient({
        apiKey: DEMO_API_KEY,
        baseURL: server.baseURL,
        logLevel: "off",
        maxRetries: 1,
      });
      const raw = items.map((text) => new RawJson(text));
      await client.data.importBatch("agents", raw, { onConflict: "skip" });
      const sent = server.received.filter((r) => r.path === "/agents/import");
      const expected = `{"agents":[${items.join(",")}],"on_conflict":"skip"}`;
      expect(sent.map((r) => r.body)).toEqual([expected, expected]);
      expect(sent.map((r) => Number(r.headers["content-length"]))).toEqual(
        [2, 2].map(() => Buffer.byteLength(expected)),
      );
    });
  });

  test("a RawJson item whose value is not valid is refused before sending", async () => {
    const client = new ResonantClient({ apiKey: DEMO_API_KEY, fetch: viaMock, logLevel: "off", maxRetries: 0 });
    bodies.length = 0;
    await expect(client.data.importBatch("agents", [new RawJson('{"id":5}')])).rejects.toBeInstanceOf(
      RequestValidationError,
    );
    expect(bodies).toHaveLength(0);
  });
});

describe("the export side", () => {
  test("exportStream({ withText: true }) hands on each NDJSON line with the server's digits; parseLossless of it keeps them", async () => {
    const line = '{"kind":"agent","data":{"id":"a1","x_big":9007199254740993,"x_huge":123456789012345678901234567890}}';
    const body = `${line}\n{"kind":"end","counts":{"agents":1}}\n`;
    const fetch: Fetch = async () =>
      new Response(body, { status: 200, headers: { "content-type": "application/x-ndjson" } });
    const client = new ResonantClient({
      apiKey: DEMO_API_KEY,
      fetch,
      logLevel: "off",
      maxRetries: 0,
      validateResponses: false,
    });
    const texts: string[] = [];
    for await (const record of client.data.exportStream({ withText: true }))
      if (record.kind === "agent") texts.push(record.text);
    expect(texts).toEqual([line]);
    const data = (parseLossless(texts[0]!) as { data: Record<string, unknown> }).data;
    expect(String(data.x_big)).toBe("9007199254740993");
    expect(stringifyLossless(data)).toBe(
      '{"id":"a1","x_big":9007199254740993,"x_huge":123456789012345678901234567890}',
    );
  });
});
