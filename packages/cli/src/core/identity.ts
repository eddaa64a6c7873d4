/**
 * What names an account in a checkpoint without holding its key or a password. A resumed run skips every record the
 * checkpoint counts as acknowledged, so it must go on into the account those acknowledgements came from:
 * the checkpoint keeps a fingerprint of the key, and a resume compares fingerprints, never keys.
 *
 * The fingerprint is `s1:<salt>:<hash>`: 64 bits of scrypt over the key, salted afresh for each checkpoint. A key of
 * no known shape may be short or guessable (a proxy's bearer token, a password): a fast unsalted hash of it, as
 * resonant kept before (16 hex digits of SHA-256), could be searched for its key with a dictionary, and the same
 * key gave the same hash in every checkpoint. Such older fingerprints are still compared, the old way.
 * @module
 */
import { createHash, randomBytes, scryptSync } from "node:crypto";

const LEGACY_PREFIX = "resonant checkpoint key fingerprint v1\n";
const LEGACY = /^[0-9a-f]{16}$/;
const SALTED = /^s1:([0-9a-f]{32}):[0-9a-f]{16}$/;
// About 50 ms and 32 MiB once a run (twice for a copy), and as much for each guess of a key.
const COST = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/**
 * The fingerprint of `key` (see the module comment): salted as `like` was when it is a fingerprint a checkpoint
 * holds (so the two compare), else with a new salt.
 */
export function keyFingerprint(key: string, like?: unknown): string {
  if (typeof like === "string" && LEGACY.test(like))
    return createHash("sha256").update(LEGACY_PREFIX).update(key).digest("hex").slice(0, 16);
  const salt = (typeof like === "string" && SALTED.exec(like)?.[1]) || randomBytes(16).toString("hex");
  return `s1:${salt}:${scryptSync(key, `resonant checkpoint key fingerprint s1:${salt}`, 8, COST).toString("hex")}`;
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
