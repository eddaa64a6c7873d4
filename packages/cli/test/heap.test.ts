/**
 * The heap governor (core/heap.ts). It takes V8's `gc` by setting
 * `--expose-gc` for an instant: the host must not be left with it. And it
 * must bound the old generation where V8 would not: a child started with a
 * 128 MB initial old generation, as a long run's heuristics can leave it,
 * promotes garbage with and without it. How low it keeps the CLI's own runs
 * is measured by `pnpm bench`.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { takeGc } from "../src/core/heap.js";
import { TSX } from "./helpers.js";

const WORKLOAD = fileURLToPath(new URL("./fixtures/heap-workload.mjs", import.meta.url));
const maxOld = (mode: "on" | "off"): number =>
  (
    JSON.parse(
      execFileSync(process.execPath, ["--initial-old-space-size=128", "--import", TSX, WORKLOAD, mode], {
        encoding: "utf8",
      }),
    ) as { maxOldMB: number }
  ).maxOldMB;

describe("heap governor", () => {
  it("takes a working gc and leaves neither a gc global nor the flag behind", () => {
    const gc = takeGc();
    expect(typeof gc).toBe("function");
    gc!({ type: "major", execution: "async" });
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
    expect(runInNewContext("typeof gc")).toBe("undefined");
  });

  it("collects promoted garbage past 32 MB, where V8 alone lets it reach 60 MB or more", () => {
    expect(maxOld("off")).toBeGreaterThan(60);
    expect(maxOld("on")).toBeLessThan(45);
  });
});
