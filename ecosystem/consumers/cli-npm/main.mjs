// `resonant` from its packed tarball, run as a user runs it: the bin npm
// linked into node_modules/.bin (its shebang, its dependencies as npm
// resolved them), as a real process, against the seeded mock the runner
// started (RESONANT_BASE_URL, RESONANT_API_KEY). Exits non-zero on any
// difference from what the CLI documents.
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { createServer, request } from "node:http";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("./node_modules/.bin/resonant", import.meta.url));
const problems = [];

function run(args, expectedCode, cwd = undefined) {
  const result = spawnSync(bin, args, { cwd, encoding: "utf8", env: process.env, timeout: 60_000 });
  const where = `resonant ${args.join(" ")}`;
  if (result.error) throw new Error(`${where}: ${result.error.message}`);
  if (result.status !== expectedCode)
    problems.push(`${where}: exit ${result.status}, expected ${expectedCode}\n${result.stdout}\n${result.stderr}`);
  if (`${result.stdout}${result.stderr}`.includes(process.env.RESONANT_API_KEY))
    problems.push(`${where}: printed the API key`);
  return result;
}

// The lifecycle table and the server's answer.
const versions = run(["versions", "--json"], 0);
const summary = versions.stdout
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line))
  .at(-1);
if (summary?.event !== "summary")
  problems.push(`versions --json: the last line is not the summary: ${versions.stdout}`);

// A backup, with its counts and checksum, that the live account matches.
run(["export", "--out", "backup.json"], 0);
const archive = JSON.parse(readFileSync("backup.json", "utf8"));
if (!/^sha256:[0-9a-f]{64}$/.test(archive.checksum ?? "")) problems.push(`export: no checksum (${archive.checksum})`);
for (const [kind, count] of Object.entries(archive.counts ?? {})) {
  if (archive[kind]?.length !== count)
    problems.push(`export: counts say ${count} ${kind}, the archive holds ${archive[kind]?.length}`);
}
if (!(archive.counts?.agents > 0)) problems.push(`export: no agents in ${JSON.stringify(archive.counts)}`);
run(["verify", "backup.json"], 0);
run(["import", "backup.json", "--dry-run"], 0);
run(["export", "--out", "backup.ndjson", "--format", "ndjson"], 0);
run(["verify", "backup.ndjson"], 0);

// A compressed backup, and a compressed file read by its bytes whatever its name.
run(["export", "--out", "backup.json.gz"], 0);
const gz = readFileSync("backup.json.gz");
if (gz[0] !== 0x1f || gz[1] !== 0x8b) problems.push("export --out backup.json.gz: the file is not gzip-compressed");
writeFileSync("compressed-but-named.json", gz);
run(["verify", "compressed-but-named.json"], 0);

// A reader that goes away (`resonant --help | head -1`) ends the output, not the run: no EPIPE stack dump.
const reader = spawn(bin, ["--help"], { stdio: ["ignore", "pipe", "pipe"] });
reader.stdout.destroy();
let readerErr = "";
reader.stderr.on("data", (d) => (readerErr += d));
const [readerCode] = await once(reader, "close");
if (readerCode !== 0 || /EPIPE|Unhandled/.test(readerErr))
  problems.push(`resonant --help with its reader gone: exit ${readerCode}\n${readerErr}`);

// An altered file is refused before anything is sent, saying where.
writeFileSync("altered.json", readFileSync("backup.json", "utf8").replace('"agent-1"', '"agent-X"'));
const altered = run(["import", "altered.json"], 1);
if (!/checksum/i.test(altered.stderr))
  problems.push(`import altered.json: the error does not name the checksum: ${altered.stderr}`);

// Migrations in a folder beside no node_modules, as with a global install: the template from `migrate new`
// (TypeScript) and a hand-written .mjs that imports defineMigration run with the installed resonant's packages.
const ops = mkdtempSync(join(tmpdir(), "resonant-ops-"));
try {
  const created = run(["--json", "migrate", "new", "typed template"], 0, ops);
  const { revision } = JSON.parse(created.stdout.trim().split("\n").at(-1));
  writeFileSync(
    join(ops, "migrations", "0002_js.mjs"),
    `import { defineMigration } from "@resonantgenesis/cli";
import { SDK_VERSION } from "@resonantgenesis/sdk";
export default defineMigration({
  revision: "js2",
  downRevision: "${revision}",
  message: \`on SDK \${SDK_VERSION}\`,
  async up(ctx) {
    await ctx.update("agents", { set: { description: "migrated" } });
  },
});
`,
  );
  run(["migrate", "test"], 0, ops);
  const history = run(["migrate", "history"], 0, ops);
  if (!/js2\s+pending\s+on SDK \d+\.\d+\.\d+/.test(history.stdout))
    problems.push(`migrate history in a bare folder: ${history.stdout}`);
} finally {
  rmSync(ops, { recursive: true, force: true });
}

// Behind a proxy (HTTP_PROXY), with the proxy agents npm installed: every request through it, by a host
// name only the proxy knows. spawn, not spawnSync: the proxy runs in this process.
const upstream = new URL(process.env.RESONANT_BASE_URL);
let proxied = 0;
const proxy = createServer((req, res) => {
  proxied += 1;
  const target = new URL(req.url);
  const out = request({
    host: upstream.hostname,
    port: upstream.port,
    path: target.pathname + target.search,
    method: req.method,
    headers: { ...req.headers, host: upstream.host },
  });
  out.on("response", (answer) => {
    res.writeHead(answer.statusCode, answer.headers);
    answer.pipe(res);
  });
  req.pipe(out);
});
proxy.listen(0, "127.0.0.1");
await once(proxy, "listening");
const behind = spawn(bin, ["verify", "backup.json"], {
  env: {
    ...process.env,
    RESONANT_BASE_URL: `http://api.behind-proxy.example${upstream.pathname}`,
    HTTP_PROXY: `http://127.0.0.1:${proxy.address().port}`,
  },
  stdio: "inherit",
});
const [proxiedCode] = await once(behind, "close");
proxy.closeAllConnections();
proxy.close();
if (proxiedCode !== 0 || proxied === 0)
  problems.push(`verify behind HTTP_PROXY: exit ${proxiedCode}, ${proxied} requests through the proxy`);

if (problems.length > 0) {
  console.error(problems.join("\n\n"));
  process.exit(1);
}
console.log(
  "resonant from the tarball: versions, export (json, ndjson, gzip), verify, import --dry-run, a closed pipe, a refused altered file, migrations in a folder beside no node_modules, and a run behind HTTP_PROXY all as documented",
);
