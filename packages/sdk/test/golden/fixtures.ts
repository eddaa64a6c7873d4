import { readFileSync } from "node:fs";

// The hand-written answers of answers/ (see its README): read as text, or parsed.
const dir = new URL("./answers/", import.meta.url);

/** A fixture's bytes as text, exactly as the fake server sends them. */
export function answerText(file: string): string {
  return readFileSync(new URL(file, dir), "utf8");
}

/** A JSON fixture, parsed: what a test compares the SDK's result against. */
export function answer<T = any>(file: string): T {
  return JSON.parse(answerText(file)) as T;
}

/** The lines of an NDJSON fixture, parsed. */
export function answerLines(file: string): any[] {
  return answerText(file)
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line));
}
