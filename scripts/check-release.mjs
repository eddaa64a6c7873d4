// The release check of CI: `changeset status` must pass, and the version the
// pending changesets release the SDK at must be the SDK_VERSION the source
// reports, so `SDK_VERSION` never lies about the package it ships in.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const out = join(mkdtempSync(join(tmpdir(), "rg-release-")), "status.json");
execFileSync("pnpm", ["exec", "changeset", "status", `--output=${out}`], { stdio: "inherit" });
const plan = JSON.parse(readFileSync(out, "utf8"));
const sdk = plan.releases.find((r) => r.name === "@resonantgenesis/sdk");
const current = JSON.parse(readFileSync("packages/sdk/package.json", "utf8")).version;
const released = sdk?.newVersion ?? current;
const source = readFileSync("packages/sdk/src/version.ts", "utf8").match(/SDK_VERSION = "([^"]+)"/)?.[1];
if (source !== released) {
  console.error(`SDK_VERSION is ${source}, but the package will be released as ${released}.`);
  process.exit(1);
}
console.log(`release plan ok: @resonantgenesis/sdk ${current} -> ${released} (SDK_VERSION ${source})`);
