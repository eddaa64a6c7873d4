/**
 * The archive writer reuses its byte chunks once the file has written them.
 * An archive many chunks long must hold every record's bytes as given, in
 * order, with the checksum of those bytes: a chunk filled again while the
 * file still held it would pass the hash and write other records' bytes.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArchiveWriter } from "../src/archive/writer.js";
import { tempDir } from "./helpers.js";

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  await tmp.remove();
});

// About 9 MB: some 35 chunks of 256 KiB, more than the file stream holds at once.
const agents = Array.from({ length: 30_000 }, (_, i) => ({
  id: `agent-${i}`,
  name: `agent ${i} é€😀`,
  description: String(i % 10).repeat(200 + (i % 97)),
}));

describe("ArchiveWriter", () => {
  for (const layout of ["json", "ndjson"] as const) {
    it(`writes every record of a ${layout} archive many chunks long, in order, under its checksum`, async () => {
      const path = tmp.path(`big.${layout}`);
      const writer = await ArchiveWriter.open(path, layout, { apiVersion: "1.2", exportedAt: "2026-12-05T00:00:00Z" });
      for (const agent of agents) await writer.write("agents", agent);
      const written = await writer.finish();
      const text = await readFile(path, "utf8");
      expect(written.bytes).toBeGreaterThan(8 * 1024 * 1024);

      const lines = text.split("\n").filter(Boolean);
      const records =
        layout === "json"
          ? (JSON.parse(text) as { agents: unknown[] }).agents
          : lines.filter((l) => l.includes('"kind":"agent"')).map((l) => (JSON.parse(l) as { data: unknown }).data);
      expect(records).toEqual(agents);

      // The checksum covers every byte before it: the JSON archive's text up to `,"checksum"`, or the NDJSON records.
      const covered =
        layout === "json" ? text.slice(0, text.lastIndexOf(',"checksum"')) : `${lines.slice(0, -1).join("\n")}\n`;
      expect(written.checksum).toBe(`sha256:${createHash("sha256").update(covered).digest("hex")}`);
    });
  }
});
