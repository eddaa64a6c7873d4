/**
 * `resonant versions`: the lifecycle table with the days left to each
 * sunset, the SDK's version, and, with a key, what the server answers: the
 * version it served and any deprecation it announced. The migration guide's
 * "Version Mismatch" troubleshooting in one command.
 * @module
 */
import { API_VERSIONS, SDK_VERSION, type ApiVersion } from "@resonantgenesis/sdk";
import type { Command } from "commander";
import { makeClient } from "../context.js";
import { errorFacts } from "../core/errors.js";
import { EXIT, type ExitCode } from "../exit.js";
import { renderTable } from "../ui/table.js";
import { setup } from "./common.js";

const DAY = 86_400_000;

/** Whole days from `now` to the end of `date` (UTC; negative once past). */
export function daysTo(date: string, now: Date): number {
  return Math.floor((Date.parse(`${date}T00:00:00Z`) + DAY - now.getTime()) / DAY);
}

/** Runs `versions`. */
export async function runVersions(command: Command): Promise<ExitCode> {
  const { globals, reporter } = setup(command);
  const now = new Date();
  const rows = (Object.keys(API_VERSIONS) as ApiVersion[]).map((version) => {
    const info = API_VERSIONS[version];
    const days = info.sunset ? daysTo(info.sunset, now) : null;
    const gone = days !== null && days < 0;
    // --json says what the table shows: a version past its sunset is gone, whatever its row's status.
    return { version, ...info, status: gone ? "gone" : info.status, days_to_sunset: days, gone };
  });
  // The answer the user asked for: --quiet does not silence it (reporter.answer).
  reporter.answer(
    renderTable(
      ["version", "status", "deprecated since", "sunset", "days to sunset", "upgrade to"],
      rows.map((r) => [
        r.version,
        r.status,
        r.deprecatedSince ?? "-",
        r.sunset ?? "-",
        r.days_to_sunset === null ? "-" : r.gone ? `gone ${-r.days_to_sunset} days ago` : String(r.days_to_sunset),
        r.upgradeTo ?? "-",
      ]),
    ),
  );
  reporter.answer(`SDK ${SDK_VERSION}`);
  let server: Record<string, unknown> | null = null;
  const key = globals.apiKey ?? process.env.RESONANT_API_KEY;
  if (key) {
    // Where the requests go, the proxy without its credentials: the first thing to check when none arrives.
    const { client, endpoint, proxy } = makeClient(globals, reporter);
    const where = `server (${endpoint.baseURL}${proxy ? `, through the proxy ${proxy}` : ""})`;
    const asked = endpoint.apiVersion;
    try {
      // The cheapest call every version has: one agent.
      // The line below reports the server's deprecation headers; no second warning for them.
      // One retry at most, none when --max-retries 0 says so.
      const probe = client.withOptions({ maxRetries: Math.min(1, globals.maxRetries ?? 1), onDeprecation: () => {} });
      const { response, requestId } = await probe.agents.list({ limit: 1 }).withResponse();
      const served = response.headers.get("x-api-version");
      server = {
        asked,
        served,
        proxy: proxy ?? null,
        request_id: requestId ?? null,
        deprecation: response.headers.get("x-api-deprecation-date") ?? null,
        sunset: response.headers.get("x-api-sunset-date") ?? null,
        upgrade_to: response.headers.get("x-api-upgrade-to") ?? null,
      };
      reporter.answer(
        `${where}: asked for ${asked}, answered with ${served ?? "no X-API-Version"}${server.deprecation ? `; deprecated since ${String(server.deprecation)}, sunset ${String(server.sunset)}, upgrade to ${String(server.upgrade_to)}` : "; no deprecation announced"}`,
      );
      if (served && served !== asked)
        reporter.warn(`the server answered with ${served}, not the ${asked} asked for: a version mismatch`);
    } catch (error) {
      const facts = errorFacts(error);
      server = { asked, proxy: proxy ?? null, error: facts };
      reporter.answer(`${where}: ${facts.message}`);
    }
  } else {
    reporter.text("no key (--api-key or RESONANT_API_KEY): the server was not asked");
  }
  reporter.summary([], {
    command: "versions",
    sdk_version: SDK_VERSION,
    versions: rows,
    server,
    now: now.toISOString(),
  });
  return EXIT.ok;
}
