// Bundles worker.mjs as wrangler would (esbuild, browser platform, the
// workerd/worker/browser conditions), starts workerd on a free loopback port
// and asks the Worker once. No nodejs_compat flag: a `node:` import fails the
// bundle, and a Node global (Buffer, process) throws inside workerd.
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { build } from "esbuild";
import { RESULT_PREFIX } from "./scenario.mjs";

await build({
  entryPoints: ["worker.mjs"],
  bundle: true,
  format: "esm",
  platform: "browser",
  conditions: ["workerd", "worker", "browser"],
  target: "es2022",
  outfile: "dist/worker.js",
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
  "config.capnp",
  `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "internet", network = (allow = ["public", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "dist/worker.js")],
  compatibilityDate = "2026-11-01",
  bindings = [
    (name = "RESONANT_BASE_URL", text = ${JSON.stringify(process.env.RESONANT_BASE_URL)}),
    (name = "RESONANT_API_KEY", text = ${JSON.stringify(process.env.RESONANT_API_KEY)}),
  ],
);
`,
);

const workerd = spawn("node_modules/.bin/workerd", ["serve", "config.capnp", "--verbose"], { stdio: ["ignore", "inherit", "inherit"] });
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
  console.log(RESULT_PREFIX + body);
} finally {
  workerd.kill("SIGTERM");
  await exited;
}
