/**
 * Plain text tables (the summaries: a row per kind, a column per total),
 * aligned with spaces so they read the same in a terminal and a CI log.
 * @module
 */
import { printable } from "./printable.js";

/** Renders `rows` under `header`: the first column left-aligned, the others right-aligned. */
export function renderTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  // Made printable before measuring: a kind from an archive may hold characters that print as escapes.
  const cells = [header, ...rows].map((row) => row.map((cell) => printable(String(cell))));
  const widths = header.map((_, col) => Math.max(...cells.map((row) => row[col]?.length ?? 0)));
  const line = (row: string[]) =>
    row
      .map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!)))
      .join("  ")
      .trimEnd();
  return [line(cells[0]!), ...cells.slice(1).map(line)].join("\n");
}
