/**
 * The bars' own promises, on a stream that says it is a terminal: what is
 * logged above them is never lost, however soon the bars stop.
 */
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { Reporter } from "../src/ui/reporter.js";

function terminalStream(columns = 120): { stream: NodeJS.WriteStream; written: () => string } {
  const chunks: string[] = [];
  const writable = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const stream = Object.assign(writable, { isTTY: true, columns, rows: 40 }) as unknown as NodeJS.WriteStream;
  return { stream, written: () => chunks.join("") };
}

describe("progress bars on a terminal", () => {
  it("a warning logged just before they stop is printed, not left in their buffer", () => {
    const { stream, written } = terminalStream();
    const reporter = new Reporter({ json: false, quiet: false, stream });
    expect(reporter.interactive).toBe(true);
    reporter.progress("agents", 5, 10);
    reporter.warn("the last answer said API 1.1 is deprecated");
    reporter.info("a line of information, too");
    reporter.stop();
    expect(written()).toContain("warning: the last answer said API 1.1 is deprecated");
    expect(written()).toContain("a line of information, too");
  });

  it("on a narrow terminal (40 columns) the bar shrinks or goes, and the counts stay left of the last column", () => {
    for (const columns of [40, 60]) {
      const { stream, written } = terminalStream(columns);
      const reporter = new Reporter({ json: false, quiet: false, stream });
      reporter.progress("memories", 1300, 3000);
      reporter.stop();
      // Each escape sequence (cursor moves, line clears) ends a piece of screen line, as a newline does.
      const lines = written()
        .split(String.fromCharCode(27))
        .flatMap((piece) => piece.replace(/^\[[0-9;?]*[A-Za-z]/, "").split(/\r?\n|\r/))
        .filter((line) => line.includes("memories"));
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        expect(line).toContain("1300/3000");
        expect(line.length).toBeLessThan(columns);
      }
    }
  });
});
