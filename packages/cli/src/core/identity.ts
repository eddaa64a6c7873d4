/**
 * What names an account in a checkpoint without holding its key or a password. A resumed run skips every record the
 * checkpoint counts as acknowledged, so it must go on into the account those acknowledgements came from:
 * the checkpoint keeps a fingerprint of the key, and a resume compares fingerprints, never keys.
 *
 * The fingerprint is the first 16 hex digits (64 bits) of SHA-256 over a fixed prefix and the key. An API
 * key is a long random string, so the fingerprint cannot be turned back into it; the prefix makes it match
 * no other hash of the key that may be kept elsewhere.
 * @module
 */
import { createHash } from "node:crypto";

const PREFIX = "resonant checkpoint key fingerprint v1\n";

/** The fingerprint of `key` (see the module comment). */
export function keyFingerprint(key: string): string {
  return createHash("sha256").update(PREFIX).update(key).digest("hex").slice(0, 16);
}

// Anchored: the userinfo of the base URL itself, up to the last `@` before the host ends.
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#\\]*@/i;

/**
 * `url` without its user and password (`http://u:pw@host/api` -> `http://host/api`), the rest as it was:
 * a base URL as a checkpoint keeps it and as a message names it. Those credentials are a secret, and
 * they reach the same server as the bare URL, so they take no part in telling servers apart.
 */
export function withoutUserinfo(url: string): string {
  return url.replace(USERINFO, "$1");
}
