/**
 * The archive scanners fed the same bytes cut at arbitrary places (inside a
 * multi-byte character, an escape, a number, a key) must find the same
 * records, texts, offsets and checksum as when fed the file whole: the
 * chunk-boundary branches run here on purpose, not only when an archive
 * happens to straddle a 256 KiB read.
 */
import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { JsonArchiveScanner, type JsonScanEvent } from "../src/archive/json-scanner.js";
import { NdjsonArchiveScanner, type NdjsonScanEvent } from "../src/archive/ndjson-scanner.js";

/** Strings rich in what the scanner must step over: quotes, backslashes, escapes, 2-, 3- and 4-byte characters. */
const tricky = fc.string({
  unit: fc.constantFrom("a", '"', "\\", "\n", "é", "€", "😀", "\u2028", "/", "{", "}", "[", "]", ",", ":", " "),
  maxLength: 12,
});
const value: fc.Arbitrary<string> = fc.letrec((tie) => ({
  leaf: fc.oneof(
    tricky.map((s) => JSON.stringify(s)),
    fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
    fc.constantFrom("true", "false", "null", "1.5e-3", '"\\u00e9\\ud83d\\ude00"'),
  ),
  node: fc.oneof(
    { depthSize: "small" },
    tie("leaf"),
    tie("object"),
    fc.array(tie("node"), { maxLength: 3 }).map((a) => `[ ${a.join(" , ")} ]`),
  ),
  object: fc
    .uniqueArray(fc.tuple(tricky, tie("node")), { maxLength: 4, selector: ([k]) => k })
    .map((members) => `{${members.map(([k, v]) => `${JSON.stringify(k)} : ${String(v)}`).join(",")}}`),
})).node as fc.Arbitrary<string>;
const record = fc
  .tuple(
    fc.string({ minLength: 1, maxLength: 6 }),
    fc.uniqueArray(fc.tuple(tricky, value), { maxLength: 3, selector: ([k]) => k }),
  )
  .map(([id, extra]) => {
    const fields = [
      `"id":${JSON.stringify(id)}`,
      ...extra.filter(([k]) => k !== "id").map(([k, v]) => `${JSON.stringify(k)}:${v}`),
    ];
    return `{${fields.join(",")}}`;
  });

/** A JSON archive of `records` with a correct checksum (every byte before the "checksum" member's value end). */
function jsonArchive(records: string[]): Buffer {
  const body = `{"format":"resonantgenesis.export","format_version":1,"api_version":"1.2","note":"é😀\\"","agents":[\n ${records.join(",\n ")}\n],"counts":{"agents":${records.length}}`;
  const sum = createHash("sha256").update(body).digest("hex");
  return Buffer.from(`${body},"checksum":"sha256:${sum}"}\n`);
}

function ndjsonArchive(records: string[]): Buffer {
  return Buffer.from(
    `${records.map((r) => `{"kind":"agent","data":${r}}\n`).join("")}{"kind":"end","counts":{"agents":${records.length}}}\n`,
  );
}

/** Cut points inside `buf`, sorted and distinct. */
function cutsOf(buf: Buffer) {
  return fc
    .uniqueArray(fc.integer({ min: 1, max: Math.max(1, buf.length - 1) }), { maxLength: 40 })
    .map((c) => c.sort((a, b) => a - b));
}

function pieces(buf: Buffer, cuts: number[]): Buffer[] {
  const out: Buffer[] = [];
  let from = 0;
  for (const c of [...cuts, buf.length]) {
    if (c > from) out.push(Buffer.from(buf.subarray(from, c)));
    from = c;
  }
  return out;
}

function scanJson(chunks: Buffer[]): JsonScanEvent[] {
  const scanner = new JsonArchiveScanner();
  const events = chunks.flatMap((c) => scanner.push(c));
  scanner.end();
  return events;
}

function scanNdjson(chunks: Buffer[]): NdjsonScanEvent[] {
  const scanner = new NdjsonArchiveScanner();
  const events = chunks.flatMap((c) => scanner.push(c));
  return [...events, ...scanner.end()];
}

describe("the scanners read the same archive the same way however it is cut", () => {
  test("JSON: records, texts, offsets and checksum", () => {
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 6 }).chain((records) => {
          const buf = jsonArchive(records);
          return fc.tuple(fc.constant(records), fc.constant(buf), cutsOf(buf));
        }),
        ([records, buf, cuts]) => {
          const whole = scanJson([buf]);
          // The whole read is right, not only consistent: each record's text is its source, the checksum matches.
          const found = whole.filter((e) => e.type === "record");
          expect(found.map((e) => e.text)).toEqual(records);
          for (const e of found)
            expect(buf.subarray(e.offset, e.offset + Buffer.byteLength(e.text)).toString()).toBe(e.text);
          const checksum = whole.find((e) => e.type === "checksum")!;
          expect(checksum.stated).toBe(`sha256:${checksum.computed}`);
          expect(scanJson(pieces(buf, cuts))).toEqual(whole);
          // One byte at a time: every boundary at once.
          if (buf.length < 600)
            expect(
              scanJson(
                pieces(
                  buf,
                  Array.from({ length: buf.length - 1 }, (_, i) => i + 1),
                ),
              ),
            ).toEqual(whole);
        },
      ),
      { numRuns: 150 },
    );
  });

  test("NDJSON: records, data texts, lines, offsets and checksum", () => {
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 6 }).chain((records) => {
          const buf = ndjsonArchive(records);
          return fc.tuple(fc.constant(records), fc.constant(buf), cutsOf(buf));
        }),
        ([records, buf, cuts]) => {
          const whole = scanNdjson([buf]);
          expect(whole.filter((e) => e.type === "record").map((e) => e.text)).toEqual(records);
          expect(scanNdjson(pieces(buf, cuts))).toEqual(whole);
        },
      ),
      { numRuns: 150 },
    );
  });

  test("a damaged byte is found at the same offset however the file is cut", () => {
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: 4 }).chain((records) => {
          const buf = jsonArchive(records);
          return fc.tuple(fc.constant(buf), fc.integer({ min: 0, max: buf.length - 1 }), cutsOf(buf));
        }),
        ([buf, at, cuts]) => {
          const bad = Buffer.from(buf);
          bad[at] = 0xff; // never valid in UTF-8
          const offsetOf = (chunks: Buffer[]) => {
            try {
              scanJson(chunks);
            } catch (error) {
              return (error as { offset: number; message: string }).message.startsWith("not UTF-8")
                ? (error as { offset: number }).offset
                : `other: ${(error as Error).message}`;
            }
            return "no error";
          };
          const whole = offsetOf([bad]);
          // The offset of the damaged sequence: the byte itself, or the lead byte of the character it broke.
          expect(typeof whole === "number" && whole <= at && whole >= at - 3, String(whole)).toBe(true);
          expect(offsetOf(pieces(bad, cuts))).toBe(whole);
        },
      ),
      { numRuns: 150 },
    );
  });
});
