/**
 * What a browser app built on our packages loads, measured as a user's bundler
 * builds it: esbuild with code splitting, so every dynamic `import()` becomes a
 * chunk that loads only when reached. Our packages resolve to their built dist
 * (the "import" condition), as an installed package would.
 *
 * The chunks fall in three groups:
 * - `initial`: the entry chunk and every chunk it imports statically;
 * - `onCall`: what a successful call loads lazily: the answer check of the
 *   client's default version and reading, and its static imports;
 * - `onFailure`: every other lazily loaded chunk (zod and the zod schemas,
 *   loaded to write a failure's report; other versions' or readings' checks).
 * Sizes are minified bytes and gzip (each chunk gzipped on its own, summed:
 * what a browser fetches, one response per chunk).
 *
 * Used by bench/cases/bundle.mjs and scripts/check-size.mjs; runs nothing on import.
 */
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { API_VERSION_NAMES } from "../packages/schemas/dist/meta.js";

/** Size budgets, KB gzip of initial + onCall (issue 18, point 3). The one place they are written. */
export const BUDGETS = {
  /** An app that makes one call with `ResonantClient`. */
  oneCallClient: 22,
  /** An app that makes one call with the entry the docs recommend for size-sensitive apps. */
  oneCallSizeEntry: 15,
};

/** The one-call `ResonantClient` app: what `pnpm check:size` guards and the bench's first row. */
export const ONE_CALL_CLIENT_APP = `import { ResonantClient } from "@resonantgenesis/sdk";
const client = new ResonantClient({ apiKey: "k", dangerouslyAllowBrowser: true });
console.log(await client.agents.get("id"));`;

/** The one-call app written the way docs/getting-started.md recommends for size-sensitive apps. */
export const SIZE_ENTRY_APP = `import { Agents, ResonantCore } from "@resonantgenesis/sdk";
const core = new ResonantCore({ apiKey: "k", dangerouslyAllowBrowser: true });
console.log(await core.use(Agents).get("id"));`;

// The entry in the metafile: esbuild names a stdin entry after its sourcefile, in resolveDir.
const APP = "<app>.js";
const ROOT = fileURLToPath(new URL("..", import.meta.url));
// A client's default pin is the newest version (core/options.ts), read in the default "compatible" way.
const DEFAULT_VERSION = API_VERSION_NAMES.at(-1);
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const CHECKS = /packages\/schemas\/(?:dist|src)\/checks\//;
const DEFAULT_CHECK = new RegExp(`${CHECKS.source}v?${esc(DEFAULT_VERSION)}\\/compatible\\.`);
// Before the generated checks exist the SDK checks every answer with the zod
// schemas of its version and the readings module: then those are the success path.
const ZOD_SUCCESS = new RegExp(`packages\\/schemas\\/(?:dist|src)\\/(?:v${esc(DEFAULT_VERSION)}\\/index|readings)\\.`);

/**
 * The package an input file belongs to: `@resonantgenesis/<pkg>` for ours,
 * the npm name under node_modules, the app, else the path itself.
 */
function packageOf(file) {
  if (file.endsWith(APP)) return "(the app itself)";
  const ours = /(?:^|\/)packages\/([^/]+)\//.exec(file);
  if (ours && !file.includes("node_modules/")) return `@resonantgenesis/${ours[1]}`;
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(file);
  return dep ? dep[1] : file;
}

/**
 * Bundles `contents` (an app's ESM source) as a user's bundler would and
 * returns its chunks in the three groups, or `{ missing }` when an import does
 * not resolve (an entry that does not exist yet: the caller prints "n/a").
 * `resolveDir` is where bare imports resolve from (default: packages/sdk,
 * which may import itself by name).
 */
export async function measureApp(contents, { resolveDir = join(ROOT, "packages/sdk") } = {}) {
  let out;
  try {
    out = await build({
      stdin: { contents, resolveDir, loader: "js", sourcefile: APP },
      absWorkingDir: ROOT,
      bundle: true,
      minify: true,
      splitting: true,
      platform: "browser",
      format: "esm",
      target: "es2022",
      outdir: join(tmpdir(), "rg-bundle-size"),
      write: false,
      metafile: true,
      // Only to attribute our dist's bytes to their source files (esbuild chains the dist's own maps).
      sourcemap: "external",
      logLevel: "silent",
    });
  } catch (error) {
    const unresolved = error.errors?.find((e) => /Could not resolve|No matching export/.test(e.text));
    if (unresolved) return { missing: unresolved.text };
    throw error;
  }
  return group(out);
}

function group({ metafile, outputFiles }) {
  const files = new Map(outputFiles.map((f) => [relative(ROOT, f.path), f]));
  const outputs = Object.entries(metafile.outputs).filter(([path]) => path.endsWith(".js"));
  const byPath = new Map(outputs);
  const closure = (roots) => {
    const seen = new Set();
    const todo = [...roots];
    while (todo.length > 0) {
      const path = todo.pop();
      if (seen.has(path)) continue;
      seen.add(path);
      for (const i of byPath.get(path).imports)
        if (i.kind === "import-statement" && byPath.has(i.path)) todo.push(i.path);
    }
    return seen;
  };
  const entry = outputs.find(([, o]) => o.entryPoint?.endsWith(APP))[0];
  const initial = closure([entry]);
  const lazy = outputs.filter(([path]) => !initial.has(path));
  // A lazy chunk is on the success path when it is (or holds) the answer check a call needs.
  const holding = (re) =>
    lazy
      .filter(([, o]) => re.test(o.entryPoint ?? "") || Object.keys(o.inputs).some((i) => re.test(i)))
      .map(([p]) => p);
  const hasChecks = Object.keys(metafile.inputs).some((i) => CHECKS.test(i));
  // The default version's compatible check; else any generated check (a layout
  // this script does not know yet); with no generated checks in the app at all,
  // today's SDK, which checks every answer with zod.
  let successPath = "the default version's generated compatible check";
  let roots = holding(DEFAULT_CHECK);
  if (roots.length === 0) [roots, successPath] = [holding(CHECKS), "every lazily loaded generated check"];
  if (roots.length === 0 && !hasChecks)
    [roots, successPath] = [
      holding(ZOD_SUCCESS),
      `the zod schemas of ${DEFAULT_VERSION} and readings (no generated checks)`,
    ];
  if (roots.length === 0)
    successPath = hasChecks ? "the generated checks, loaded with the entry" : "nothing loaded lazily";
  const onCall = new Set([...closure(roots)].filter((p) => !initial.has(p)));
  const onFailure = new Set(lazy.map(([p]) => p).filter((p) => !onCall.has(p)));
  const measure = (paths) => chunkGroup([...paths], byPath, files);
  return { initial: measure(initial), onCall: measure(onCall), onFailure: measure(onFailure), successPath };
}

function chunkGroup(paths, byPath, files) {
  let min = 0;
  let gzip = 0;
  const packages = {};
  const ours = {};
  for (const path of paths) {
    const code = files.get(path).contents;
    min += code.length;
    gzip += gzipSync(code).length;
    for (const [input, { bytesInOutput }] of Object.entries(byPath.get(path).inputs)) {
      const name = packageOf(input);
      packages[name] = (packages[name] ?? 0) + bytesInOutput;
    }
    const map = files.get(`${path}.map`);
    if (map) bySource(JSON.parse(map.text), dirname(map.path), ours);
  }
  const sorted = (o) => Object.entries(o).sort((a, b) => b[1] - a[1]);
  return { chunks: paths.length, min, gzip, packages: sorted(packages), files: sorted(ours) };
}

/**
 * Minified bytes per source file of ours, from a chunk's source map: each
 * mapping segment owns the bytes up to the next one (as source-map-explorer
 * counts). Approximate by a few bytes per file; the package totals come from
 * the metafile and are exact.
 */
function bySource(map, mapDir, totals) {
  const names = map.sources.map((s) => {
    const abs = resolve(mapDir, s);
    const ours = /packages\/([^/]+)\/(src\/.*)$/.exec(abs);
    return ours && !abs.includes("node_modules/") ? `@resonantgenesis/${ours[1]} ${ours[2]}` : null;
  });
  let source = 0;
  for (const line of map.mappings.split(";")) {
    let column = 0;
    let last = null;
    for (const segment of line.split(",")) {
      if (segment === "") continue;
      const [dColumn, dSource] = vlq(segment);
      column += dColumn;
      if (last) add(totals, names[last.source], column - last.column);
      if (dSource !== undefined) source += dSource;
      last = dSource === undefined ? null : { column, source };
    }
    // The rest of a line is not measured: esbuild ends each minified line close to its last segment.
  }
}

const add = (totals, name, bytes) => {
  if (name) totals[name] = (totals[name] ?? 0) + bytes;
};

const B64 = Object.fromEntries(
  [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"].map((c, i) => [c, i]),
);

/** The numbers of one base64 VLQ source map segment. */
function vlq(segment) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const c of segment) {
    const digit = B64[c];
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/** The one-call figure: what loads to make one successful call (initial + onCall). */
export function oneCall(app) {
  return { min: app.initial.min + app.onCall.min, gzip: app.initial.gzip + app.onCall.gzip };
}

/**
 * The biggest contributors to a set of groups, by minified bytes: third-party
 * packages (metafile), our packages' source files (source maps) and what of
 * ours no map covers, and the chunks' own glue (the imports and exports that
 * splitting adds, in no input).
 */
export function topContributors(groups, count = 10) {
  const totals = {};
  for (const g of groups) {
    let inInputs = 0;
    for (const [name, bytes] of g.packages) {
      inInputs += bytes;
      if (!name.startsWith("@resonantgenesis/")) add(totals, name, bytes);
      else add(totals, `${name} (no source map)`, bytes - sum(g.files.filter(([file]) => file.startsWith(`${name} `))));
    }
    for (const [name, bytes] of g.files) add(totals, name, bytes);
    add(totals, "(chunk imports and exports)", g.min - inInputs);
  }
  return Object.entries(totals)
    .filter(([, bytes]) => bytes >= 64)
    .sort((a, b) => b[1] - a[1])
    .slice(0, count);
}

const sum = (entries) => entries.reduce((total, [, bytes]) => total + bytes, 0);

/** `n` bytes as KB with one decimal. */
export const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
