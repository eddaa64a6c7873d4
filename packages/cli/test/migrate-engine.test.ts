/**
 * The migrate engine's pieces that keep a large run small and fast, held to
 * what they replace: the one-pass state hash must give the hash every
 * journal already on disk holds (16 bytes of SHA-256 of the canonical JSON of comparable(object), base64), the
 * chunked journal reader the same lines as reading them one by one (a torn
 * last line dropped), and the overlay the same views with its shared patches.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import { createHash } from "node:crypto";
import { JsonNumber } from "@resonantgenesis/sdk";
import { canonicalJson } from "../src/core/canonical.js";
import { Overlay } from "../src/migrate/ctx.js";
import { journalOps, readJournal } from "../src/migrate/journal.js";
import { journalOpsReversed } from "../src/migrate/journal-reverse.js";
import { comparable, stateHash, type Obj } from "../src/migrate/plan.js";
import { jsonArbitraries } from "./json-arbitraries.js";

/**
 * The canonical text as journals have always held it, written out here as it first was (keys sorted at every level,
 * undefined members left out, a JsonNumber as its digits): the oracle canonicalJson and stateHash are held to.
 */
function referenceText(value: unknown): string {
  if (value instanceof JsonNumber) return value.text;
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(referenceText).join(",")}]`;
  const record = value as Record<string, unknown>;
  const entries = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${referenceText(record[k])}`);
  return `{${entries.join(",")}}`;
}

/** The state hash as journals have always held it. */
const digestOf = (value: unknown) => createHash("sha256").update(referenceText(value)).digest("base64").slice(0, 22);

const dir = await mkdtemp(join(tmpdir(), "rg-migrate-engine-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

// JSON-like values, among them the keys the hash leaves out.
const { key, value } = jsonArbitraries([
  "updated_at",
  "version",
  "steps",
  "secret",
  "id",
  "model",
  "a",
  "B",
  "é",
  '"q"',
]);

describe("stateHash", () => {
  test("canonicalJson writes the text journals hold, for any value", () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(referenceText(v));
      }),
      { numRuns: 1000 },
    );
    expect(canonicalJson({ b: [1, undefined, { d: 2, c: -0 }], a: null, u: undefined })).toBe(
      '{"a":null,"b":[1,null,{"c":0,"d":2}]}',
    );
  });

  test("equals digestOf(comparable(object)) for any object", () => {
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 8 }), (object) => {
        expect(stateHash(object)).toBe(digestOf(comparable(object)));
      }),
      { numRuns: 500 },
    );
  });

  test("leaves out managed fields at the top only", () => {
    expect(stateHash({ id: "a", version: 1, updated_at: "x" })).toBe(stateHash({ id: "a", version: 2 }));
    expect(stateHash({ id: "a", metadata: { version: 1 } })).not.toBe(stateHash({ id: "a", metadata: { version: 2 } }));
  });
});

describe("journal reading", () => {
  test("chunked reading gives every whole line, drops a torn tail, and ops stop at the planned line", async () => {
    // Lines long enough that 256 KiB chunks cut some of them.
    const ops = Array.from({ length: 3_000 }, (_, seq) => ({
      t: "op",
      seq,
      op: { op: "update", kind: "agents", id: `id-${seq}`, pad: "é".repeat((seq * 7) % 1000) },
    }));
    const lines = [
      { t: "begin", run: "r" },
      ...ops,
      { t: "planned", ops: ops.length, backup: null },
      { t: "done", seq: 0 },
    ];
    const path = join(dir, "j.ndjson");
    await writeFile(path, `${lines.map((l) => JSON.stringify(l)).join("\n")}\n{"t":"done","se`);
    const read = [];
    for await (const e of readJournal(path)) read.push(e);
    expect(read).toEqual(lines);
    const planned = [];
    for await (const e of journalOps(path)) planned.push(e);
    expect(planned).toEqual(ops);
    // Backwards (windows of 1 MiB over 3 MB of lines): the same ops, last first, only those kept, each seen once forward first.
    const seenForward: number[] = [];
    const reversed = [];
    for await (const e of journalOpsReversed(path, (e) => {
      seenForward.push(e.seq);
      return e.seq % 3 !== 1;
    }))
      reversed.push(e);
    expect(seenForward).toEqual(ops.map((o) => o.seq));
    expect(reversed).toEqual(ops.filter((o) => o.seq % 3 !== 1).reverse());
  });

  test("a last line without a newline is read when whole", async () => {
    const path = join(dir, "k.ndjson");
    await writeFile(path, '{"t":"begin"}\n{"t":"end","state":"applied"}');
    const read = [];
    for await (const e of readJournal(path)) read.push(e);
    expect(read).toEqual([{ t: "begin" }, { t: "end", state: "applied" }]);
  });
});

describe("Overlay", () => {
  test("views hold each object's own patches, merged, and hide deleted ones", () => {
    const overlay = new Overlay();
    const a: Obj = { id: "a", model: "m0", name: "A" };
    const b: Obj = { id: "b", model: "m0", name: "B" };
    overlay.patch("agents", "a", { model: "m1" });
    overlay.patch("agents", "b", { model: "m1" });
    overlay.patch("agents", "a", { name: "A2" });
    overlay.delete("teams", "a");
    expect(overlay.view("agents", a)).toEqual({ id: "a", model: "m1", name: "A2" });
    expect(overlay.view("agents", b)).toEqual({ id: "b", model: "m1", name: "B" });
    expect(overlay.view("teams", a)).toBeUndefined();
    expect(overlay.view("memories", a)).toBe(a);
  });
});
