/**
 * Issue 18's way of stating a target: our figure held against stripe's (the
 * fastest SDK on every run-time figure when the issue was filed), and shown
 * beside stripe's, openai's and anthropic's from the same run, so a reader
 * sees where we stand among all three, not only against the one we chase.
 */
import { target } from "./lib.mjs";

/** The rivals issue 18 names, in its tables' order, with the labels it uses. */
export const RIVALS = [
  ["stripe", "stripe"],
  ["openai", "openai"],
  ["@anthropic-ai/sdk", "anthropic"],
];

/**
 * The figures of ours and the rivals as one line: "ours 0.225 ms; stripe 0.246 ms, openai ..., anthropic ...".
 * `figure(name)` answers a contender's number (NaN or undefined when it failed or was not measured).
 */
export function besideRivals(ours, figure, format) {
  const rivals = RIVALS.map(([name, label]) => `${label} ${format(figure(name))}`).join(", ");
  return `ours ${format(ours)}; ${rivals}`;
}

/**
 * A target met when ours is at or below (`lower`) or at or above (`higher`) the figure of `against`
 * (stripe unless told), shown beside every rival; not measured (null) when either number is missing.
 */
export function rivalTarget(name, { ours, figure, format, better, against = "stripe" }) {
  const theirs = figure(against);
  const known = Number.isFinite(ours) && Number.isFinite(theirs);
  const met = !known ? null : better === "higher" ? ours >= theirs : ours <= theirs;
  return target(name, besideRivals(ours, figure, format), met);
}

/** Met when ours is strictly better than each of `names` (issue 5's "below openai and anthropic"). */
export function aheadOfTarget(name, { ours, figure, format, better, names }) {
  const theirs = names.map(figure);
  const known = Number.isFinite(ours) && theirs.every(Number.isFinite);
  const met = !known ? null : theirs.every((t) => (better === "higher" ? ours > t : ours < t));
  return target(name, besideRivals(ours, figure, format), met);
}
