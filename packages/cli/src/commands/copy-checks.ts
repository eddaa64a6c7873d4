/**
 * What `copy` checks before it sends anything, and how its errors name the
 * account they came from: whether the target is the source account under
 * another spelling of its URL, whether the source holds kinds the target's
 * version cannot import, and the two sides' flags; and, as it runs, whether
 * the source's export sends an object twice.
 * @module
 */
import { networkInterfaces } from "node:os";
import type { ApiVersion, ResonantClient } from "@resonantgenesis/sdk";
import { importableIn, KIND_TABLE, kindsOf, versionAtLeast } from "@resonantgenesis/schemas/meta";
import { fromSide, type Side } from "../core/errors.js";
import { fatalToCliError } from "../core/importer.js";
import { RepeatedIds } from "../archive/repeated-ids.js";
import { CliError } from "../exit.js";
import type { OnConflict } from "../options.js";
import type { ImportableWording } from "./common.js";

/**
 * Whether a host (as URL spells it: `0` and `127.1` already dotted quads, IPv6 in brackets and shortest form)
 * is this machine: a loopback name or address, the unspecified address (`0.0.0.0`, `[::]`, which connect to it),
 * any of those as an IPv4-mapped IPv6 address, or an address of one of its interfaces. Names other than
 * `localhost` are not resolved: two names of one address may be two servers behind it.
 */
function isThisMachine(hostname: string): boolean {
  // A name's trailing dot (`localhost.`, fully qualified) names the same host.
  let host = hostname.replace(/^\[|\]$/g, "").replace(/\.$/, "");
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (mapped) host = [mapped[1]!, mapped[2]!].flatMap((h) => [parseInt(h, 16) >> 8, parseInt(h, 16) & 255]).join(".");
  if (host === "localhost" || host.endsWith(".localhost") || /^127\./.test(host)) return true;
  if (host === "0.0.0.0" || host === "::" || host === "::1") return true;
  return Object.values(networkInterfaces()).some((addresses) => addresses?.some((a) => a.address === host));
}

/**
 * A base URL as the server it reaches: scheme and host in one case (URL does it), the default
 * port left out (URL does it), no trailing slash, every spelling of this machine as one, no userinfo (the key,
 * not the URL, picks the account). A URL that does not parse stays as it is.
 */
function serverOf(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  const host = isThisMachine(u.hostname) ? "this machine" : u.hostname;
  return `${u.protocol}//${host}:${u.port}${u.pathname.replace(/\/+$/, "")}${u.search}`;
}

/** True when two base URLs reach the same server, however each is spelt. */
export function sameServer(a: string, b: string): boolean {
  return serverOf(a) === serverOf(b);
}

/** A base URL to print: without userinfo or query, which may carry a credential. */
function shown(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`.replace(/\/+$/, "");
  } catch {
    return "(a base URL that does not parse)";
  }
}

/** The source and the target of a copy, each with its own flags. */
export function copySides(sourceURL: string, targetURL: string): { source: Side; target: Side } {
  return {
    source: {
      label: `the source (--base-url ${shown(sourceURL)})`,
      baseUrl: "--base-url (or RESONANT_BASE_URL)",
      key: "--api-key (or RESONANT_API_KEY)",
      apiVersion: "--api-version",
    },
    target: {
      label: `the target (--to-base-url ${shown(targetURL)})`,
      baseUrl: "--to-base-url",
      key: "--to-key (or RESONANT_TO_API_KEY)",
      apiVersion: "--to-api-version",
    },
  };
}

/** Waits for `work` of one side: an error of its requests becomes that side's (named, with its flags). */
export async function onSide<T>(side: Side, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw error instanceof CliError ? error : fatalToCliError(fromSide(error, side), undefined);
  }
}

/** `stream`, each error of its requests recorded as `side`'s; no generator between, as a copy reads it a record at a time. */
export function withSide<T>(side: Side, stream: AsyncIterable<T>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const it = stream[Symbol.asyncIterator]();
      return {
        next: () =>
          it.next().catch((error: unknown) => {
            throw fromSide(error, side);
          }),
        // A loop that ends early (the `end` record) closes the stream under it.
        return: async () => (await it.return?.()) ?? { done: true, value: undefined },
      };
    },
  };
}

/** A copy's refusal of kinds the target's version cannot import. */
export const COPY_WORDING: ImportableWording = {
  holder: "the source account",
  verb: "copy",
  flag: "--to-api-version",
  ending: "nothing was sent",
};

type FirstPage = (params: { limit: number }) => PromiseLike<{ data: unknown[]; hasMore: boolean }>;

/**
 * Of each kind the source's version has and the target's version cannot import, how many the
 * source holds: one object is asked for, so a kind is counted only when that is all there is,
 * else `"some"`. A copy must refuse before its first batch, and the export reaches such a kind
 * only after the agents went in. A newer server's kinds are not known here: the copy still
 * refuses them when the export reaches them.
 */
export async function unimportableKinds(
  client: ResonantClient<ApiVersion>,
  from: ApiVersion,
  to: ApiVersion,
): Promise<Record<string, number | "some">> {
  const kinds = kindsOf(from).filter((kind) => !importableIn(to, kind));
  const counts = await Promise.all(
    kinds.map(async (kind) => {
      const resource = (client as unknown as Record<string, Record<"export" | "list", FirstPage>>)[kind]!;
      // A version without the kind's export (webhooks before 1.2) has its list, as the export itself reads it.
      const page = await (versionAtLeast(from, KIND_TABLE[kind].exportSince)
        ? resource.export({ limit: 1 })
        : resource.list({ limit: 1 }));
      return page.data.length === 0 ? 0 : page.hasMore ? ("some" as const) : page.data.length;
    }),
  );
  return Object.fromEntries(kinds.map((kind, i) => [kind, counts[i]!]));
}

/** What the target keeps of an object sent twice, by `--on-conflict`. */
const KEPT: Record<OnConflict, string> = {
  skip: "--on-conflict skip keeps the first in the target (the second counts as skipped)",
  overwrite: "--on-conflict overwrite keeps the second in the target",
  fail: "--on-conflict fail refuses the second (logged as failed, exit 2)",
};
/** How many repeats are named, one warning each. */
const NAMED_REPEATS = 20;

/**
 * Watches the source's records (`first` at the first of each kind) and warns of one whose id its export sent
 * before in its kind: a bug of the source server, or a page boundary that moved under a live account. The copy
 * sends it again and the target's `--on-conflict` decides which it keeps, as before, but no longer without a word.
 * Answers true for such a record, which a dry run plans as the run takes it. Ids are told by fingerprint
 * (archive/repeated-ids.ts), and a live stream cannot be read again to confirm one: two ids that share a fingerprint
 * (about once in 10^19 pairs) would cost a wrong warning (and a wrong count in a plan), never an object.
 */
export function repeatWarner(
  onConflict: OnConflict,
  warn: (message: string) => void,
): (kind: string, id: unknown, first: boolean) => boolean {
  const ids = new RepeatedIds(false);
  let repeats = 0;
  return (kind, id, first) => {
    if (first) ids.endKind();
    if (ids.add(kind, id)) return false;
    if (++repeats > NAMED_REPEATS + 1) return true;
    warn(
      repeats > NAMED_REPEATS
        ? `the source's export sends more objects twice; only the first ${NAMED_REPEATS} are named`
        : `the source's export sends ${kind} ${JSON.stringify(String(id))} twice in its kind (its export pages may have moved under the run, or the server sends it twice): the copy sends both, and ${KEPT[onConflict]}`,
    );
    return true;
  };
}
