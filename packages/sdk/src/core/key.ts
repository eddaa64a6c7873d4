/**
 * What is wrong with an API key that cannot go in an `Authorization` header as it is, told without the
 * key. The transport refuses such a key before anything is sent, and loads this module only then, so an
 * app whose key is good never loads it; a program that takes a key from its user (the `resonant` CLI)
 * may ask first, to name the flag or variable it came from.
 * @module
 */
/**
 * What is wrong with `key` as an API key, or undefined when it can be sent: empty, whitespace at either
 * end (a line break a CRLF `.env` file or a file read whole leaves), a control character, or a character
 * beyond Latin-1, which no HTTP header may carry. The answer never quotes the key.
 *
 * @param key - The key, as given.
 * @returns What is wrong, as the end of a sentence about the key (`"ends with a carriage return (a CRLF .env file?)"`), or undefined.
 * @example `apiKeyProblem("rg_live_sk_abc\r")` is `"ends with a carriage return (a CRLF .env file?)"`.
 */
export function apiKeyProblem(key: string): string | undefined {
  if (key === "") return "is empty";
  if (key.endsWith("\r")) return "ends with a carriage return (a CRLF .env file?)";
  if (/[\r\n]$/.test(key)) return "ends with a line break";
  if (/^\s/.test(key)) return "starts with whitespace";
  if (/\s$/.test(key)) return "ends with whitespace";
  for (const c of key) {
    const n = c.codePointAt(0)!;
    const code = `U+${n.toString(16).toUpperCase().padStart(4, "0")}`;
    if (n < 0x20 || (n >= 0x7f && n < 0xa0))
      return `holds a control character (${code}), which no HTTP header may carry`;
    if (n > 0xff) return `holds a character beyond Latin-1 (${code}), which no HTTP header may carry`;
  }
  return undefined;
}

/**
 * The message a key is refused with, before anything was sent: `option` when it is the client's `apiKey`
 * (or `RESONANT_API_KEY`), else a key function's answer. (The transport makes it a ResonantError: this
 * module imports nothing, so loading it splits no chunk of a bundle.)
 */
export function keyRefusal(key: unknown, option?: boolean): string {
  const problem = typeof key === "string" && key !== "" ? apiKeyProblem(key) : undefined;
  // Its type only: even a wrong answer may hold a secret.
  const type = key === "" ? "an empty string" : key === null ? "null" : typeof key;
  if (option) return `The apiKey option (or RESONANT_API_KEY) ${problem ?? `is ${type}, not a key`}; nothing was sent.`;
  return problem
    ? `The apiKey function returned a key that ${problem}; nothing was sent.`
    : `The apiKey function returned ${type}, not a key.`;
}
