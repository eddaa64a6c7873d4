/**
 * The last line of defence against printing a key or a secret: every line
 * the CLI prints or writes to a log goes through `redact`. Keys given on the
 * command line or in the environment are registered here at start-up; the
 * patterns catch any other API key, webhook secret or bearer token.
 * @module
 */

const known = new Set<string>();
const PATTERNS = [/\brg_(?:live|test)_sk_[A-Za-z0-9_]+/g, /\bwhsec_[A-Za-z0-9_]+/g, /\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi];

/** Registers a value that must never be printed (a key from an option or the environment). */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) known.add(value);
}

/** `text` with every registered secret and every key- or secret-shaped token replaced by `[redacted]`. */
export function redact(text: string): string {
  let out = text;
  for (const secret of known) if (out.includes(secret)) out = out.split(secret).join("[redacted]");
  for (const pattern of PATTERNS) out = out.replace(pattern, (_m, bearer?: string) => (typeof bearer === "string" ? `${bearer}[redacted]` : "[redacted]"));
  return out;
}
