/**
 * An archive given as `-` is copied to a temporary file before it is read
 * (it is read twice). That copy used to take all of standard input first, so
 * an endless stream that is no archive (`cat /dev/zero | resonant import -`,
 * `yes | resonant verify -`) filled the temporary folder's disk and never
 * ended. Now the copy stops at the first byte that cannot begin an archive,
 * and the reader refuses it at once. Run as a real process fed without end.
 */
import { once } from "node:events";
import { readdir } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { DEMO_API_KEY, spawnCli, tempDir } from "./helpers.js";

const tmp = await tempDir();
afterAll(() => tmp.remove());

/** `resonant verify -` fed `chunk` again and again until it exits: its exit code, stderr, and the bytes it took. */
async function fedWithoutEnd(chunk: Buffer) {
  const child = spawnCli(["verify", "-"], {
    cwd: tmp.dir,
    env: { RESONANT_API_KEY: DEMO_API_KEY, RESONANT_BASE_URL: "http://127.0.0.1:9/api", TMPDIR: tmp.dir },
  });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  child.stdout!.resume();
  let sent = 0;
  let open = true;
  child.stdin!.on("error", () => (open = false)); // EPIPE once it stops reading
  const closed = once(child, "close");
  const feed = (async () => {
    while (open && child.exitCode === null && sent < 2 ** 31) {
      sent += chunk.length;
      if (!child.stdin!.write(chunk))
        await Promise.race([once(child.stdin!, "drain"), closed]).catch(() => (open = false));
    }
  })();
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const [code] = (await closed) as [number | null];
  clearTimeout(timer);
  open = false;
  await feed;
  return { code, stderr, sent };
}

describe("standard input that is no archive, without end", { timeout: 60_000 }, () => {
  it.each([
    ["zero bytes", Buffer.alloc(1 << 20), "found byte 0x00"],
    ["yes", Buffer.from("y\n".repeat(1 << 19)), "found 'y'"],
  ])("%s: refused at its first byte, having taken little of it", async (_what, chunk, found) => {
    const { code, stderr, sent } = await fedWithoutEnd(chunk);
    expect(stderr).toBe(`resonant: -: byte 0 (line 1, column 1): expected the archive to start with '{', ${found}\n`);
    expect(code).toBe(1);
    expect(sent).toBeLessThan(256 * 2 ** 20); // a few pipe buffers and chunks, not all it was given
    // The copy is gone (tsx keeps its cache in TMPDIR too).
    expect((await readdir(tmp.dir)).filter((name) => name.startsWith("resonant-"))).toEqual([]);
  });
});
