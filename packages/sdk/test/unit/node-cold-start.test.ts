/**
 * A Node process that imports the SDK and calls over the default node:http
 * transport never loads ky, nor the undici that ky's first import pulls in
 * through the fetch globals: together about 30 ms of every cold start. ky
 * comes, on first use, only for a client given a `fetch`.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { expect, it } from "vitest";

const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const SCRIPT = fileURLToPath(new URL("fixtures/node-cold-start.mjs", import.meta.url));

it("loads ky (and undici) only for a client given a fetch", () => {
  const run = spawnSync(process.execPath, ["--conditions=@resonantgenesis/source", "--import", TSX, SCRIPT], {
    encoding: "utf8",
    timeout: 30_000,
  });
  expect(run.stderr).toBe("");
  expect(JSON.parse(run.stdout)).toEqual({
    before: false,
    afterImport: false,
    afterCall: false,
    afterFetch: true,
    viaHttp: { id: "a1" },
    viaFetch: { id: "a1" },
  });
});
