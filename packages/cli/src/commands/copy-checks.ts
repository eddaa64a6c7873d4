/**
 * What `copy` checks before it sends anything: whether the target is the
 * source account under another spelling of its URL.
 * @module
 */

// One machine, whichever of its loopback names a URL uses.
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * A base URL as the server it reaches: scheme and host in one case (URL does it), the default
 * port left out (URL does it), no trailing slash, the loopback names as one, no userinfo (the key,
 * not the URL, picks the account). A URL that does not parse stays as it is.
 */
function serverOf(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  const host = LOOPBACK.has(u.hostname) ? "loopback" : u.hostname;
  return `${u.protocol}//${host}:${u.port}${u.pathname.replace(/\/+$/, "")}${u.search}`;
}

/** True when two base URLs reach the same server, however each is spelt. */
export function sameServer(a: string, b: string): boolean {
  return serverOf(a) === serverOf(b);
}
