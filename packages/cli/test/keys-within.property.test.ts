/**
 * Export checks each record's depth and keys in one walk (`keysWithin`) and clears most records' text with one
 * search for ':' (`keyColons`). Both must refuse exactly what the separate checks they replaced refused: those
 * are kept here, as they were, for reference, and compared on arbitrary JSON values and texts, nesting around
 * the limit included.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { keyColons, keysWithin, keysWritten, MAX_DEPTH, nestedPast } from "../src/archive/guards.js";

/** The depth check as it was: a [node, depth] pair per object. */
function nestedPastBefore(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [node, depth] = next;
    if (node === null || typeof node !== "object") continue;
    if (depth > limit) return true;
    for (const child of Object.values(node))
      if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
  }
  return false;
}

/** The key count as it was: recursive. */
function keyCountBefore(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  if (Array.isArray(value)) {
    let n = 0;
    for (const item of value) if (item !== null && typeof item === "object") n += keyCountBefore(item);
    return n;
  }
  let n = 0;
  for (const key in value) n += 1 + keyCountBefore((value as Record<string, unknown>)[key]);
  return n;
}

/** The text's fast check as it was: '":' counted, and no '"' then whitespace then ':'. */
function clearedBefore(text: string, keys: number): boolean {
  let n = 0;
  for (let i = text.indexOf('":'); i !== -1; i = text.indexOf('":', i + 2)) n++;
  return n === keys && !/"\s+:/.test(text);
}

/** What one walk answers when it agrees with the two it replaced. */
const expected = (value: unknown, limit: number) => (nestedPastBefore(value, limit) ? -1 : keyCountBefore(value));

/** `inner` wrapped in `levels` arrays or objects, chosen by `shape`'s bits, with siblings beside some levels. */
function wrapped(inner: unknown, levels: number, shape: number[]): unknown {
  let value = inner;
  for (let level = 0; level < levels; level++) {
    const bits = shape[level % shape.length]!;
    if (bits & 1) value = bits & 2 ? [1, value, { x: null }] : [value];
    else value = bits & 2 ? { a: value, b: [[]], c: "s" } : { [`k${level}`]: value };
  }
  return value;
}

const json = fc.jsonValue({ maxDepth: 8 });

describe("keysWithin: the key count and the depth in one walk", () => {
  test("agrees with the old depth check and key count on arbitrary JSON values, at any limit", () => {
    fc.assert(
      fc.property(json, fc.integer({ min: 0, max: 10 }), (value, limit) => {
        expect(keysWithin(value, limit)).toBe(expected(value, limit));
        expect(nestedPast(value, limit)).toBe(nestedPastBefore(value, limit));
        expect(keysWithin(value, Number.POSITIVE_INFINITY)).toBe(keyCountBefore(value));
      }),
      { numRuns: 2000 },
    );
  });

  test("agrees at MAX_DEPTH on values nested just under, at and just past it", () => {
    fc.assert(
      fc.property(
        json,
        fc.integer({ min: MAX_DEPTH - 10, max: MAX_DEPTH + 3 }),
        fc.array(fc.nat(3), { minLength: 1, maxLength: 7 }),
        json,
        (inner, levels, shape, beside) => {
          const value = [beside, wrapped(inner, levels, shape), beside];
          expect(keysWithin(value, MAX_DEPTH)).toBe(expected(value, MAX_DEPTH));
          expect(nestedPast(value, MAX_DEPTH)).toBe(nestedPastBefore(value, MAX_DEPTH));
        },
      ),
      { numRuns: 300 },
    );
  });

  test("the walk's stack is left empty between values: a refusal does not change the next answer", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(json, fc.integer({ min: 0, max: 6 })), { maxLength: 8 }), (pairs) => {
        for (const [value, limit] of pairs) expect(keysWithin(value, limit)).toBe(expected(value, limit));
      }),
    );
  });

  test("a cycle is too deep; 100,000 levels are measured without a stack overflow", () => {
    const cycle: Record<string, unknown> = { a: [1, 2] };
    (cycle.a as unknown[]).push({ back: cycle });
    expect(keysWithin(cycle, MAX_DEPTH)).toBe(-1);
    expect(nestedPast(cycle, MAX_DEPTH)).toBe(nestedPastBefore(cycle, MAX_DEPTH));
    let deep: unknown = "leaf";
    for (let i = 0; i < 100_000; i++) deep = i % 2 ? [deep] : { k: deep };
    expect(nestedPast(deep, MAX_DEPTH)).toBe(true);
    expect(keysWithin(deep, Number.POSITIVE_INFINITY)).toBe(50_000);
    expect(keysWithin(wrapped(0, MAX_DEPTH, [0, 1, 2, 3]), MAX_DEPTH)).toBe(
      keyCountBefore(wrapped(0, MAX_DEPTH, [0, 1, 2, 3])),
    );
    expect(keysWithin(wrapped({}, MAX_DEPTH, [1]), MAX_DEPTH)).toBe(-1);
  });
});

test("a walk started by a getter during a walk leaves the outer walk's answer as it was", () => {
  fc.assert(
    fc.property(json, json, fc.integer({ min: 1, max: 6 }), (outer, inner, limit) => {
      let innerAnswer: number | undefined;
      const value = { before: [outer, { a: outer }], after: outer };
      Object.defineProperty(value, "got", {
        enumerable: true,
        get: () => {
          innerAnswer = keysWithin(inner, limit);
          return [{ b: outer }];
        },
      });
      const answer = keysWithin(value, limit + 2);
      expect(innerAnswer).toBe(expected(inner, limit));
      expect(answer).toBe(expected(value, limit + 2));
    }),
  );
});

/** Strings rich in what the text checks read: quotes, escapes, colons, JSON's whitespace. */
const tricky = fc.string({ unit: fc.constantFrom("a", '"', "\\", ":", " ", "\n", "\t", "\r", "é"), maxLength: 6 });
/** JSON's whitespace, often none. */
const space = fc.constantFrom("", "", "", " ", "\n", "\t", "\r\n", "  ");
/** JSON texts whose objects may name a key twice (few key names), spaced anyhow. */
const jsonText: fc.Arbitrary<string> = fc.letrec((tie) => ({
  leaf: fc.oneof(
    tricky.map((s) => JSON.stringify(s)),
    fc.constantFrom("0", "-1.5e3", "true", "false", "null"),
  ),
  node: fc.oneof({ depthSize: "small" }, tie("leaf"), tie("object"), tie("array")),
  array: fc
    .tuple(fc.array(fc.tuple(space, tie("node"), space), { maxLength: 3 }), space)
    .map(([items, inside]) => `[${inside}${items.map(([a, v, b]) => `${a}${v}${b}`).join(",")}]`),
  object: fc
    .tuple(
      fc.array(fc.tuple(fc.oneof(fc.constantFrom("id", "a", "b:"), tricky), space, space, tie("node")), {
        maxLength: 4,
      }),
      space,
    )
    .map(
      ([members, inside]) =>
        `{${inside}${members.map(([k, before, after, v]) => `${JSON.stringify(k)}${before}:${after}${v}`).join(",")}}`,
    ),
})).node as fc.Arbitrary<string>;

describe("keyColons: a text cleared by one search for ':'", () => {
  test("clears a text only when it names no key twice, and refuses exactly what the old checks refused", () => {
    fc.assert(
      fc.property(space, jsonText, space, (before, body, after) => {
        const text = `${before}${body}${after}`;
        const keys = keysWithin(JSON.parse(text), Number.POSITIVE_INFINITY);
        const exact = keysWritten(text) === keys;
        if (keyColons(text) === keys) expect(exact).toBe(true);
        expect(keyColons(text) === keys || exact).toBe(clearedBefore(text, keys) || exact);
      }),
      { numRuns: 3000 },
    );
  });

  test("texts with a key twice are not cleared, spaced or not, with a '\":' inside a string", () => {
    for (const text of [
      '{"a":1,"a":2}',
      '{"a" :1,"a" :2,"s":"x\\":y"}',
      '{"a":{"b":1,"b":2},"c":"\\":"}',
      '[{"x":"\\":","x":1}]',
    ]) {
      const keys = keysWithin(JSON.parse(text), Number.POSITIVE_INFINITY);
      expect(keyColons(text) === keys || keysWritten(text) === keys).toBe(false);
    }
    expect(keyColons('{"a":"b\\":c","d":"e :f"}')).toBe(-1);
    expect(keyColons('{"a":"b\\":c","d":1}')).toBe(3);
  });
});
