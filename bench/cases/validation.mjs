/**
 * Figure 5 (first half): validation throughput, in process. MB/s of the
 * SDK's response check (the checkers generated at the schemas' build) in its
 * default, compatible reading and in the strict one, of zod's own safeParse
 * and of zod 4.6's compiled parser (`z.compile`) on the compatible reading,
 * on already-parsed pages, beside JSON.parse of the same text, on a 100-item
 * agents page and a 10,000-item export page. Rounds alternate the measurements.
 */
import * as z from "zod/mini";
import { reading, v1_2 } from "@resonantgenesis/schemas";
import { checks as compatibleChecks } from "@resonantgenesis/schemas/checks/v1.2/compatible";
import { checks as strictChecks } from "@resonantgenesis/schemas/checks/v1.2/strict";
import { agentExportPage, agentPage } from "../bodies.mjs";
import { median, rotated, target } from "../lib.mjs";

/** Repeat `fn` for at least `minMs`; answer MB/s for `bytes` per call. */
function rate(fn, bytes, minMs) {
  let n = 0;
  const t0 = performance.now();
  let elapsed = 0;
  do {
    fn();
    n++;
    elapsed = performance.now() - t0;
  } while (elapsed < minMs);
  return (bytes * n) / 1e6 / (elapsed / 1000);
}

export async function run({ quick }) {
  const { rounds, minMs } = quick ? { rounds: 1, minMs: 100 } : { rounds: 5, minMs: 400 };
  const pages = [
    ["100-item agents page", agentPage(100), "AgentList"],
    ["10,000-item export page", agentExportPage(10_000), "AgentExportPage"],
  ];
  const rows = [];
  const targets = [];
  for (const [name, text, schemaName] of pages) {
    const schema = v1_2[schemaName];
    const bytes = Buffer.byteLength(text);
    const parsed = JSON.parse(text);
    if (!schema.safeParse(parsed).success) throw new Error(`${name} does not pass its schema`);
    const compatible = reading(schema, "compatible");
    const check = compatibleChecks[schemaName];
    const strict = strictChecks[schemaName];
    const compiled = z.compile(compatible);
    if (!check(parsed) || !strict(parsed) || !compiled.safeParse(parsed).success)
      throw new Error(`${name}: a check declines a valid page`);
    const fns = {
      parse: () => JSON.parse(text),
      zod: () => schema.safeParse(parsed),
      compiled: () => compiled.safeParse(parsed),
      strict: () => strict(parsed),
      validate: () => check(parsed),
      both: () => check(JSON.parse(text)),
    };
    const r = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
    // Warm up first: zod compiles its object parsers on first use, which is start-up, not throughput.
    for (const fn of Object.values(fns)) rate(fn, bytes, minMs);
    for (let i = 0; i < rounds; i++)
      for (const key of rotated(Object.keys(fns), i)) r[key].push(rate(fns[key], bytes, minMs));
    const m = Object.fromEntries(Object.entries(r).map(([k, runs]) => [k, median(runs)]));
    const v = m.validate;
    rows.push([
      name,
      `${(bytes / 1024).toFixed(0)} KB`,
      ...["parse", "zod", "compiled", "strict", "validate", "both"].map((k) => `${m[k].toFixed(0)} MB/s`),
    ]);
    targets.push(target(`5. validation >= 100 MB/s (${name})`, `${v.toFixed(0)} MB/s`, v >= 100));
  }
  return {
    id: "validation",
    title: `5. Validation throughput (in process, median of ${rounds} rounds)`,
    header: [
      "body",
      "size",
      "JSON.parse",
      "zod safeParse",
      "z.compile (compatible)",
      "SDK strict",
      "SDK check (compatible, default)",
      "JSON.parse + SDK check",
    ],
    rows,
    targets,
  };
}
