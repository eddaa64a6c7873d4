/**
 * The proxy a run's requests go through, read from the environment as curl and npm read it:
 * `HTTPS_PROXY` for `https:` base URLs, `HTTP_PROXY` for `http:` ones, `ALL_PROXY` for either (each
 * in either case), and `NO_PROXY` (`*`, or hosts, each matching itself and its subdomains, with an
 * optional `:port`) to go direct. Loopback hosts always go direct, as Go's net/http does: a mock or a
 * tunnel on this machine is never behind the proxy. A proxy's password is registered as a secret, so no
 * message shows it.
 * @module
 */
import type { Agent } from "node:http";
import { createRequire } from "node:module";
import { CliError } from "../exit.js";
import { registerSecret } from "../ui/redact.js";

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

const env = (name: string): string | undefined => process.env[name] || process.env[name.toUpperCase()] || undefined;

/** Whether `NO_PROXY` (or loopback) sends `url` direct. */
function direct(url: URL): boolean {
  if (LOOPBACK.test(url.hostname)) return true;
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return (env("no_proxy") ?? "").split(/[\s,]+/).some((entry) => {
    if (entry === "*") return true;
    const [, name = "", only] = /^(.*?)(?::(\d+))?$/.exec(entry.toLowerCase()) ?? [];
    const host = name.replace(/^\*?\./, "");
    if (host === "" || (only !== undefined && only !== port)) return false;
    return url.hostname === host || url.hostname.endsWith(`.${host}`);
  });
}

/** The proxy requests to `baseURL` go through (its password registered as a secret); undefined to go direct. */
export function proxyFor(baseURL: string): URL | undefined {
  const url = new URL(baseURL);
  const variable = url.protocol === "https:" ? "https_proxy" : "http_proxy";
  const value = env(variable) ?? env("all_proxy");
  if (value === undefined || direct(url)) return undefined;
  // Without a scheme a proxy is spoken to in plain HTTP, as curl does.
  const proxy = URL.parse(value.includes("://") ? value : `http://${value}`);
  if (proxy === null || !/^https?:$/.test(proxy.protocol))
    throw new CliError(
      `${variable.toUpperCase()} (or ALL_PROXY) must be an http(s) proxy URL, such as http://proxy:3128`,
    );
  registerSecret(proxy.password);
  registerSecret(decodeURIComponent(proxy.password));
  return proxy;
}

/** The agent that sends requests to `baseURL` through `proxy` ({@link proxyFor}'s), as `createNodeFetch` takes it; none to go direct. */
export function proxyAgents(baseURL: string, proxy: URL | undefined): { httpAgent?: Agent; httpsAgent?: Agent } {
  if (proxy === undefined) return {};
  // Loaded only for a run behind a proxy (require of an ES module, as Node 20.19 allows): 20 ms of every start otherwise.
  const require = createRequire(import.meta.url);
  // The parsed scheme, as proxyFor reads it: `HTTPS://` is https too, and must not go out through no proxy at all.
  if (new URL(baseURL).protocol === "https:") {
    const { HttpsProxyAgent } = require("https-proxy-agent") as typeof import("https-proxy-agent");
    return { httpsAgent: new HttpsProxyAgent(proxy, { keepAlive: true }) };
  }
  const { HttpProxyAgent } = require("http-proxy-agent") as typeof import("http-proxy-agent");
  return { httpAgent: new HttpProxyAgent(proxy, { keepAlive: true }) };
}
