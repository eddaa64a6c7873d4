/**
 * What the CLI prints on a terminal, made harmless: text from outside (an archive's ids and kinds,
 * a server's messages) could carry control characters that a terminal obeys rather than shows. An
 * ESC can clear the screen, recolour or erase lines already printed (a verify's "the account
 * differs", say) or retitle the window; a carriage return can overwrite a line; a bidirectional
 * override can reorder what a line seems to say. Each is shown as a `\u001b` escape instead, after
 * redaction (which hides a URL's user and password too: `--base-url http://u:pw@host/api`, as
 * commander echoes a refused value or a message quotes it), so every printed line goes through one
 * function. Tab and newline stay.
 * @module
 */
import { redact } from "./redact.js";

// C0 controls but tab and newline, DEL, C1 controls, and the bidirectional embeddings, overrides and isolates.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this module's job.
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `text` redacted (a URL's user and password among what is hidden), with every control character that would act on a terminal written out as an escape. */
export function printable(text: string): string {
  return redact(text).replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * `value` as one printable JSON line, each string redacted before it is written: once escaped, a secret holding
 * `"` or `\` no longer reads as itself, and the redaction of the whole line would miss it.
 */
export function printableJson(value: unknown): string {
  return printable(
    JSON.stringify(value, (_key, inner: unknown) => (typeof inner === "string" ? redact(inner) : inner)),
  );
}
