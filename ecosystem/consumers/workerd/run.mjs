// Bundles worker.mjs as wrangler would (esbuild, browser platform, the
// workerd/worker/browser conditions), starts workerd on a free loopback port
// and asks the Worker once. No nodejs_compat flag: a `node:` import fails the
// bundle. Compatibility dates from about mid-2026 give every Worker Node's
// globals (Buffer, process); with `--no-node-globals` an earlier date is used
// and checked to have none, so a Node global in the SDK throws here.
//
//   node run.mjs [--no-node-globals]
import { spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { build } from "esbuild";
import { RESULT_PREFIX } from "./scenario.mjs";

const strict = process.argv.includes("--no-node-globals");
const compatibilityDate = strict ? "2026-06-01" : "2026-11-01";
// Both variants may run at once in this folder: each writes its own files.
const out = `dist-${compatibilityDate}`;
await mkdir(out, { recursive: true });

await build({
  entryPoints: ["worker.mjs"],
  bundle: true,
  format: "esm",
  platform: "browser",
  conditions: ["workerd", "worker", "browser"],
  target: "es2022",
  outfile: `${out}/worker.js`,
  logLevel: "warning",
});

const port = await new Promise((resolve) => {
  const probe = createServer().listen(0, "127.0.0.1", () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});

// The Worker reaches the mock on the host's loopback: workerd's default
// outbound network allows only public addresses, so "local" is added here.
await writeFile(
  `${out}/config.capnp`,
  `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "internet", network = (allow = ["public", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "${compatibilityDate}",
  bindings = [
    (name = "RESONANT_BASE_URL", text = ${JSON.stringify(process.env.RESONANT_BASE_URL)}),
    (name = "RESONANT_API_KEY", text = ${JSON.stringify(process.env.RESONANT_API_KEY)}),
  ],
);
`,
);

const workerd = spawn("node_modules/.bin/workerd", ["serve", `${out}/config.capnp`, "--verbose"], {
  stdio: ["ignore", "inherit", "inherit"],
});
const exited = new Promise((resolve) => workerd.once("exit", (code) => resolve(code)));
try {
  let response;
  for (let attempt = 0; !response; attempt++) {
    const code = await Promise.race([exited, new Promise((r) => setTimeout(r, 100))]);
    if (code !== undefined) throw new Error(`workerd exited with ${code}`);
    response = await fetch(`http://127.0.0.1:${port}/`).catch((error) => {
      if (attempt > 200) throw error; // 20 s to start
    });
  }
  const body = await response.text();
  if (response.status !== 200) throw new Error(`the Worker answered ${response.status}:\n${body}`);
  const { nodeGlobals, ...result } = JSON.parse(body);
  // Otherwise this variant would prove nothing about Node globals.
  if (strict && nodeGlobals.length > 0)
    throw new Error(`workerd at ${compatibilityDate} has Node globals: ${nodeGlobals.join(", ")}`);
  console.log(RESULT_PREFIX + JSON.stringify({ ...result, compatibilityDate, nodeGlobals }));
} finally {
  workerd.kill("SIGTERM");
  await exited;
}
