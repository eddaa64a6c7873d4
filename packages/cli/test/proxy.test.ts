// Behind a proxy, as an operator's network often is: HTTP(S)_PROXY and NO_PROXY, read as curl reads them.
// The proxy here is a plain forward proxy of our own (node:http), in front of the mock; the API's host
// name is one only the proxy knows, so a request that went direct could not have been answered.
import { once } from "node:events";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { connect } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { proxyAgents, proxyFor } from "../src/core/proxy.js";
import { DEMO_API_KEY, runCli, startCountingMock, tempDir, type CountingMock } from "./helpers.js";

let mock: CountingMock;
let tmp: Awaited<ReturnType<typeof tempDir>>;
let proxy: Server;
let proxyURL: string;
const seen: IncomingMessage[] = [];

beforeAll(async () => {
  mock = await startCountingMock({ seed: { agents: 5 } });
  tmp = await tempDir();
  // A forward proxy: absolute-form requests (`GET http://host/path`), every host sent to the mock.
  proxy = createServer((req, res) => {
    seen.push(req);
    toMock(req, res);
  });
  proxyURL = `127.0.0.1:${await listen(proxy)}`;
});

/** Passes a request on to the mock, whatever host it named, and its answer back. */
function toMock(req: IncomingMessage, res: ServerResponse): void {
  const upstream = new URL(mock.baseURL);
  const target = new URL(req.url!, "http://any");
  const out = request({
    host: upstream.hostname,
    port: upstream.port,
    path: target.pathname + target.search,
    method: req.method,
    headers: { ...req.headers, host: upstream.host },
  });
  out.on("response", (answer) => {
    res.writeHead(answer.statusCode!, answer.headers);
    answer.pipe(res);
  });
  req.pipe(out);
}

async function listen(server: Server): Promise<number> {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}
afterEach(() => {
  seen.length = 0;
});
afterAll(async () => {
  proxy.closeAllConnections();
  proxy.close();
  await mock.close();
  await tmp.remove();
});

const run = (args: string[], env: Record<string, string | undefined>) =>
  runCli(args, {
    cwd: tmp.dir,
    env: { RESONANT_API_KEY: DEMO_API_KEY, RESONANT_BASE_URL: "http://api.resonant.example/api", ...env },
  });

describe("HTTP_PROXY", () => {
  it("sends every request through the proxy, with its credentials, which no output shows", async () => {
    const result = await run(["--json", "export", "--out", "backup.json"], {
      HTTP_PROXY: `http://ops:pr0xy-s3cret@${proxyURL}`,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((req) => req.url!.startsWith("http://api.resonant.example/api/v1.2/"))).toBe(true);
    const basic = `Basic ${Buffer.from("ops:pr0xy-s3cret").toString("base64")}`;
    expect(seen.every((req) => req.headers["proxy-authorization"] === basic)).toBe(true);
    expect(result.stdout + result.stderr).not.toContain("pr0xy-s3cret");
  });

  it("resonant versions says which proxy the requests go through, without its credentials", async () => {
    const env = { HTTP_PROXY: `http://ops:pr0xy-s3cret@${proxyURL}` };
    const text = await run(["versions"], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(
      `server (http://api.resonant.example/api, through the proxy http://${proxyURL}): asked for 1.2`,
    );
    const json = await run(["--json", "versions"], env);
    const summary = JSON.parse(json.stdout.trim().split("\n").at(-1)!) as { server: { proxy: string } };
    expect(summary.server.proxy).toBe(`http://${proxyURL}`);
    expect(text.stdout + text.stderr + json.stdout + json.stderr).not.toContain("pr0xy-s3cret");
  });

  it("a proxy that is down: the run fails naming the connection, never the proxy's password", async () => {
    const result = await run(["--max-retries", "0", "export", "--out", "down.json"], {
      http_proxy: "http://ops:pr0xy-s3cret@127.0.0.1:9",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/ECONNREFUSED 127\.0\.0\.1:9/);
    expect(result.stderr).not.toContain("pr0xy-s3cret");
  });

  it("a value that is not a proxy URL is refused before any request", async () => {
    const result = await run(["export", "--out", "bad.json"], { HTTP_PROXY: "ftp://proxy:21" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("HTTP_PROXY (or ALL_PROXY) must be an http(s) proxy URL");
    expect(seen).toHaveLength(0);
  });
});

const hasOpenssl = (() => {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasOpenssl)("HTTPS_PROXY", () => {
  it("tunnels through CONNECT: the proxy sees the host and port, never the requests or the key", async () => {
    // The API, over TLS with a certificate of its own, which the CLI is told to trust (NODE_EXTRA_CA_CERTS).
    const key = tmp.path("api.key");
    const cert = tmp.path("api.crt");
    execFileSync(
      "openssl",
      [
        ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-keyout", key, "-out", cert],
        ...["-subj", "/CN=api.resonant.example", "-addext", "subjectAltName=DNS:api.resonant.example"],
      ],
      { stdio: "ignore" },
    );
    const api = createTlsServer({ key: readFileSync(key), cert: readFileSync(cert) }, toMock);
    const apiPort = await listen(api);
    const tunnels: string[] = [];
    const tunnel = createServer();
    tunnel.on("connect", (req: IncomingMessage, client, head: Buffer) => {
      tunnels.push(`${req.url} ${req.headers["proxy-authorization"] ?? "(no auth)"}`);
      const upstream = connect(apiPort, "127.0.0.1", () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.write(head);
        upstream.pipe(client).on("error", () => {});
        client.pipe(upstream).on("error", () => {});
      });
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
    });
    const tunnelPort = await listen(tunnel);
    try {
      const result = await run(["export", "--out", "tls.json"], {
        RESONANT_BASE_URL: "https://api.resonant.example/api",
        HTTPS_PROXY: `http://ops:pr0xy-s3cret@127.0.0.1:${tunnelPort}`,
        NODE_EXTRA_CA_CERTS: cert,
      });
      expect(result.code, result.stderr).toBe(0);
      const basic = `Basic ${Buffer.from("ops:pr0xy-s3cret").toString("base64")}`;
      expect(tunnels.length).toBeGreaterThan(0);
      expect(new Set(tunnels)).toEqual(new Set([`api.resonant.example:443 ${basic}`]));
      expect(seen).toHaveLength(0); // nothing went as a plain proxied request
      expect(result.stdout + result.stderr).not.toContain("pr0xy-s3cret");
    } finally {
      for (const server of [api, tunnel]) {
        server.closeAllConnections?.();
        server.close();
      }
    }
  });
});

describe("which URLs go through which proxy", () => {
  const withEnv = (env: Record<string, string>, baseURL: string) => {
    const saved = { ...process.env };
    for (const name of ["http_proxy", "https_proxy", "all_proxy", "no_proxy"]) {
      delete process.env[name];
      delete process.env[name.toUpperCase()];
    }
    Object.assign(process.env, env);
    try {
      const agents = proxyAgents(baseURL, proxyFor(baseURL));
      return agents.httpsAgent ? "https proxy" : agents.httpAgent ? "http proxy" : "direct";
    } finally {
      process.env = saved;
    }
  };
  const p = "http://proxy.corp:3128";

  it("each scheme its variable, ALL_PROXY for both, none set: direct", () => {
    expect(withEnv({ HTTPS_PROXY: p }, "https://resonantgenesis.xyz/api")).toBe("https proxy");
    expect(withEnv({ HTTPS_PROXY: p }, "HTTPS://ResonantGenesis.xyz/api")).toBe("https proxy"); // a scheme is a scheme in any case
    expect(withEnv({ HTTPS_PROXY: p }, "http://api.corp/api")).toBe("direct");
    expect(withEnv({ http_proxy: p }, "http://api.corp/api")).toBe("http proxy");
    expect(withEnv({ ALL_PROXY: p }, "https://resonantgenesis.xyz/api")).toBe("https proxy");
    expect(withEnv({}, "https://resonantgenesis.xyz/api")).toBe("direct");
  });

  it("NO_PROXY: a host and its subdomains, a leading dot, a port, *; loopback always direct", () => {
    const to = "https://eu.resonantgenesis.xyz/api";
    expect(withEnv({ HTTPS_PROXY: p, NO_PROXY: "resonantgenesis.xyz" }, to)).toBe("direct");
    expect(withEnv({ HTTPS_PROXY: p, NO_PROXY: ".resonantgenesis.xyz" }, to)).toBe("direct");
    expect(withEnv({ HTTPS_PROXY: p, NO_PROXY: "other.xyz, resonantgenesis.xyz:443" }, to)).toBe("direct");
    expect(withEnv({ HTTPS_PROXY: p, NO_PROXY: "resonantgenesis.xyz:8443" }, to)).toBe("https proxy");
    expect(withEnv({ HTTPS_PROXY: p, NO_PROXY: "genesis.xyz" }, to)).toBe("https proxy");
    expect(withEnv({ HTTPS_PROXY: p, no_proxy: "*" }, to)).toBe("direct");
    for (const host of ["localhost:4010", "127.0.0.1:4010", "[::1]:4010"])
      expect(withEnv({ HTTP_PROXY: p }, `http://${host}/api`), host).toBe("direct");
  });
});
