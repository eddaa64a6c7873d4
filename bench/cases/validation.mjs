/**
 * Figure 5 (first half): validation throughput, in process. MB/s of the 1.2
 * schemas' safeParse (what the SDK calls) on already-parsed pages, beside
 * JSON.parse of the same text, on a 100-item agents page and a 10,000-item
 * export page. Rounds alternate the three measurements.
 */
import { v1_2 } from "@resonantgenesis/schemas";
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
    ["100-item agents page", agentPage(100), v1_2.AgentList],
    ["10,000-item export page", agentExportPage(10_000), v1_2.AgentExportPage],
  ];
  const rows = [];
  const targets = [];
  for (const [name, text, schema] of pages) {
    const bytes = Buffer.byteLength(text);
    const parsed = JSON.parse(text);
    if (!schema.safeParse(parsed).success) throw new Error(`${name} does not pass its schema`);
    const fns = { parse: () => JSON.parse(text), validate: () => schema.safeParse(parsed), both: () => schema.safeParse(JSON.parse(text)) };
    const r = { parse: [], validate: [], both: [] };
    // Warm up first: zod compiles its object parsers on first use, which is start-up, not throughput.
    for (const fn of Object.values(fns)) rate(fn, bytes, minMs);
    for (let i = 0; i < rounds; i++) for (const key of rotated(Object.keys(fns), i)) r[key].push(rate(fns[key], bytes, minMs));
    const [p, v, b] = [median(r.parse), median(r.validate), median(r.both)];
    rows.push([name, `${(bytes / 1024).toFixed(0)} KB`, `${p.toFixed(0)} MB/s`, `${v.toFixed(0)} MB/s`, `${b.toFixed(0)} MB/s`]);
    targets.push(target(`5. validation >= 100 MB/s (${name})`, `${v.toFixed(0)} MB/s`, v >= 100));
  }
  return {
    id: "validation",
    title: `5. Validation throughput (in process, median of ${rounds} rounds)`,
    header: ["body", "size", "JSON.parse", "schema safeParse alone", "JSON.parse + safeParse"],
    rows,
    targets,
  };
}
