/**
 * Figure 5 (first half): validation throughput, in process. MB/s of the
 * SDK's response check (its fast parser, which zod backs up on failure) and
 * of zod's own safeParse on already-parsed pages, beside JSON.parse of the
 * same text, on a 100-item agents page and a 10,000-item export page. Rounds
 * alternate the measurements.
 */
import esbuild from "esbuild";
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

/** The SDK's fast parser, bundled from its source: it is internal, so no entry point exports it. */
async function loadFastParser() {
  const out = await esbuild.build({
    entryPoints: [new URL("../../packages/sdk/src/core/fast-parse.ts", import.meta.url).pathname],
    bundle: true,
    format: "esm",
    write: false,
    logLevel: "silent",
  });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString("base64")}`);
}

export async function run({ quick }) {
  const { fastParser, FAIL } = await loadFastParser();
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
    const check = fastParser(schema);
    if (check(parsed) === FAIL) throw new Error(`${name}: the SDK's fast parser declines a valid page`);
    const fns = { parse: () => JSON.parse(text), zod: () => schema.safeParse(parsed), validate: () => check(parsed), both: () => check(JSON.parse(text)) };
    const r = { parse: [], zod: [], validate: [], both: [] };
    // Warm up first: zod compiles its object parsers on first use, which is start-up, not throughput.
    for (const fn of Object.values(fns)) rate(fn, bytes, minMs);
    for (let i = 0; i < rounds; i++) for (const key of rotated(Object.keys(fns), i)) r[key].push(rate(fns[key], bytes, minMs));
    const [p, zv, v, b] = [median(r.parse), median(r.zod), median(r.validate), median(r.both)];
    rows.push([name, `${(bytes / 1024).toFixed(0)} KB`, `${p.toFixed(0)} MB/s`, `${zv.toFixed(0)} MB/s`, `${v.toFixed(0)} MB/s`, `${b.toFixed(0)} MB/s`]);
    targets.push(target(`5. validation >= 100 MB/s (${name})`, `${v.toFixed(0)} MB/s`, v >= 100));
  }
  return {
    id: "validation",
    title: `5. Validation throughput (in process, median of ${rounds} rounds)`,
    header: ["body", "size", "JSON.parse", "zod safeParse alone", "SDK check alone", "JSON.parse + SDK check"],
    rows,
    targets,
  };
}
