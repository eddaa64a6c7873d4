// Every consumer the SDK is tested in: the one list (README's support table
// follows it). Each `folder` under consumers/ is a small project a user could
// copy: the runner copies it to a fresh directory with scenario.mjs, installs
// the packed tarballs and its package.json with npm, and runs its tests.
//
// A test with `mock: true` gets a seeded mock server (RESONANT_BASE_URL,
// RESONANT_API_KEY) and must print the scenario's result line; a test without
// it passes when its command exits 0. `exitOnly` gives a test the mock but judges it by its exit code alone. `entry` is the package entry the
// runtime's resolver must pick: "node" (with SyncClient) or "universal". `skip` returns a reason when the runtime
// cannot run on this machine at all.

const TS_VERSIONS = { 5.9: "typescript@~5.9.3", "6.0": "typescript@~6.0.3" };

/** tsc over one tsconfig of a TypeScript consumer: the packed types must compile with skipLibCheck false. */
const tsc = (project) => ({ command: "node", args: ["node_modules/typescript/bin/tsc", "-p", project] });

/** The TypeScript matrix of issue 9 point 5: two TS versions x three resolutions x three kinds of project. */
const typescriptConsumers = Object.entries(TS_VERSIONS).flatMap(([version, spec]) => [
  {
    name: `ts${version}-node`,
    folder: "typescript-node",
    runtime: `TypeScript ${version}, Node project`,
    extra: [spec],
    tests: [
      { name: `ts${version} node, no DOM lib, types [node], nodenext`, ...tsc("tsconfig.json") },
      { name: `ts${version} node, no DOM lib, types [node], node16`, ...tsc("tsconfig.node16.json") },
      { name: `ts${version} node, no DOM lib, types [node], bundler`, ...tsc("tsconfig.bundler.json") },
      { name: `ts${version} node, no types listed, nodenext`, ...tsc("tsconfig.notypes.json") },
      { name: `ts${version} node, no types listed, node16`, ...tsc("tsconfig.notypes-node16.json") },
      { name: `ts${version} node, no types listed, bundler`, ...tsc("tsconfig.notypes-bundler.json") },
    ],
  },
  {
    name: `ts${version}-browser`,
    folder: "typescript-browser",
    runtime: `TypeScript ${version}, browser project without @types/node`,
    // The SDK and its schemas only: the mock (a Node server) would bring @types/node in through its dependencies.
    packages: ["schemas", "sdk"],
    extra: [spec],
    tests: [
      { name: `ts${version} browser, DOM lib, no @types/node, bundler`, ...tsc("tsconfig.json") },
      { name: `ts${version} browser, DOM lib, no @types/node, nodenext`, ...tsc("tsconfig.nodenext.json") },
      { name: `ts${version} browser, DOM lib, no @types/node, node16`, ...tsc("tsconfig.node16.json") },
    ],
  },
]);

export const consumers = [
  {
    name: "cli-npm",
    folder: "cli-npm",
    runtime: "Node 20, resonant installed from its tarball (npm's bin link)",
    // The mock too: the CLI depends on it (migrate test runs a copy of the account in it).
    packages: ["schemas", "sdk", "mock", "cli"],
    // A seeded mock to talk to; main.mjs checks the CLI's own outputs and exit codes, so it prints no scenario line.
    tests: [{ name: "cli-npm", command: "node", args: ["main.mjs"], mock: true, exitOnly: true }],
  },
  {
    name: "node-esm",
    folder: "node-esm",
    runtime: "Node 20 ESM (import)",
    tests: [{ name: "node-esm", command: "node", args: ["main.mjs"], mock: true, entry: "node" }],
  },
  {
    name: "node-cjs",
    folder: "node-cjs",
    runtime: "Node 20 CommonJS (require, through require(esm))",
    tests: [{ name: "node-cjs", command: "node", args: ["main.cjs"], mock: true, entry: "node" }],
  },
  {
    name: "bun",
    folder: "bun",
    runtime: "Bun (npm package bun)",
    tests: [{ name: "bun", command: "node_modules/.bin/bun", args: ["main.mjs"], mock: true, entry: "node" }],
  },
  {
    name: "deno",
    folder: "deno",
    runtime: "Deno (npm package deno, node_modules dir)",
    tests: [{ name: "deno", command: "npm", args: ["run", "--silent", "start"], mock: true, entry: "node" }],
  },
  {
    name: "workerd",
    folder: "workerd",
    runtime: "Cloudflare workerd (npm package workerd), Worker bundled by esbuild",
    tests: [
      {
        name: "workerd (compatibility date without Node globals)",
        command: "node",
        args: ["run.mjs", "--no-node-globals"],
        mock: true,
        entry: "universal",
      },
      {
        name: "workerd (current compatibility date)",
        command: "node",
        args: ["run.mjs"],
        mock: true,
        entry: "universal",
      },
    ],
  },
  {
    name: "edge-runtime",
    folder: "edge-runtime",
    runtime: "@edge-runtime/vm (no Node APIs), universal entry bundled by esbuild",
    tests: [{ name: "edge-runtime", command: "node", args: ["run.mjs"], mock: true, entry: "universal" }],
  },
  {
    name: "vite-chromium",
    folder: "vite-chromium",
    runtime: "Vite app in headless Debian Chromium (playwright-core)",
    tests: [
      { name: "vite-chromium", command: "node", args: ["run.mjs"], mock: true, entry: "universal", timeoutMs: 180_000 },
    ],
  },
  ...typescriptConsumers,
  {
    name: "firefox-webkit",
    runtime: "Firefox and WebKit",
    // Listed so the summary says what is not run, and why, on every run.
    skip: () =>
      "Playwright drives only its own patched Firefox and WebKit builds, downloaded from its CDN, which this machine cannot reach (browsers cannot be downloaded; Debian's chromium is the one browser here)",
    tests: [{ name: "firefox and webkit (Vite app)" }],
  },
];
