/**
 * The in-memory data: accounts, and per account one insertion-ordered
 * collection per kind. Every insert takes the next sequence number; list
 * cursors carry the last sequence seen, so a cursor stays right while items
 * are added (they come later) or deleted (they are skipped).
 * @module
 */
import type { ApiVersion, v1_2 } from "@resonantgenesis/schemas";
import { KINDS } from "@resonantgenesis/schemas/meta";
import { ApiError } from "./errors.js";

/** The kinds the store keeps, in dependency order (as archives list them). */
export type StoredKind = v1_2.Kind;

/** One page of a collection. */
export interface Page<T> {
  /** The items, oldest first. */
  items: T[];
  /** Whether more items follow. */
  hasMore: boolean;
  /** The cursor of the next page, or null on the last page. */
  nextCursor: string | null;
}

const CURSOR_PREFIX = "c_";

// btoa/atob rather than Buffer: the mock also runs in browsers (MSW setupWorker).
const toBase64Url = (text: string): string => btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const fromBase64Url = (text: string): string => atob(text.replace(/-/g, "+").replace(/_/g, "/"));

/** Encodes "after sequence `seq`" as an opaque cursor. */
export function encodeCursor(seq: number): string {
  return CURSOR_PREFIX + toBase64Url(`s:${seq}`);
}

/** Decodes a cursor, or throws a 400 `invalid_parameter` naming `cursor`. */
export function decodeCursor(cursor: string): number {
  const bad = () =>
    new ApiError({
      status: 400,
      code: "invalid_parameter",
      message: "The cursor is not valid",
      fields: [{ path: ["cursor"], message: "invalid cursor" }],
      location: "query",
    });
  if (!cursor.startsWith(CURSOR_PREFIX)) throw bad();
  let text: string;
  try {
    text = fromBase64Url(cursor.slice(CURSOR_PREFIX.length));
  } catch {
    throw bad();
  }
  const match = /^s:(\d+)$/.exec(text);
  if (!match) throw bad();
  return Number(match[1]);
}

/** An insertion-ordered collection of objects with an `id`. */
export class Collection<T extends { id: string }> {
  private readonly items = new Map<string, { seq: number; item: T }>();
  private nextSeq = 1;

  /** How many items it holds. */
  get size(): number {
    return this.items.size;
  }

  /** The item with `id`, or undefined. */
  get(id: string): T | undefined {
    return this.items.get(id)?.item;
  }

  /** True when an item with `id` exists. */
  has(id: string): boolean {
    return this.items.has(id);
  }

  /** Adds a new item at the end (a fresh sequence number). */
  insert(item: T): T {
    this.items.delete(item.id);
    this.items.set(item.id, { seq: this.nextSeq++, item });
    return item;
  }

  /** Replaces an existing item in place (it keeps its position), or inserts it. */
  put(item: T): T {
    const entry = this.items.get(item.id);
    if (entry) entry.item = item;
    else this.insert(item);
    return item;
  }

  /** Removes an item; true when there was one. */
  delete(id: string): boolean {
    return this.items.delete(id);
  }

  /** Every item, oldest first. */
  values(): T[] {
    return [...this.items.values()].map((e) => e.item);
  }

  /** Iterates items with a sequence above `afterSeq`, oldest first, with their sequence numbers. */
  *entriesAfter(afterSeq = 0): Generator<{ seq: number; item: T }> {
    // Map iteration follows insertion order, and sequences only grow with it.
    for (const entry of this.items.values()) if (entry.seq > afterSeq) yield entry;
  }

  /**
   * One page: up to `limit` items after `cursor` that pass `filter`. The next
   * cursor names the last item answered, so later inserts and deletes never
   * shift what the next page holds.
   */
  page(limit: number, cursor?: string | null, filter?: (item: T) => boolean): Page<T> {
    const after = cursor ? decodeCursor(cursor) : 0;
    const items: T[] = [];
    let lastSeq = after;
    let hasMore = false;
    for (const { seq, item } of this.entriesAfter(after)) {
      if (filter && !filter(item)) continue;
      if (items.length === limit) {
        hasMore = true;
        break;
      }
      items.push(item);
      lastSeq = seq;
    }
    return { items, hasMore, nextCursor: hasMore ? encodeCursor(lastSeq) : null };
  }

  /** Makes `target` a copy of this collection: copies of the items at the same sequence numbers, so cursors read alike. */
  copyInto(target: Collection<T>): void {
    target.items.clear();
    for (const [id, { seq, item }] of this.items) target.items.set(id, { seq, item: structuredClone(item) });
    target.nextSeq = this.nextSeq;
  }

  /** Empties the collection (sequence numbers keep growing, so old cursors stay harmless). */
  clear(): void {
    this.items.clear();
  }
}

/** What a key may do: its account and scopes. */
export interface KeyGrant {
  accountId: string;
  scopes: string[];
}

/** Per-session data that is not part of the session object. */
export interface SessionExtras {
  /** The session's steps, in order. */
  steps: Collection<v1_2.Step>;
  /** The step limit asked for at creation. */
  maxSteps: number;
}

/** One account: its objects of every kind, and the secrets that answers never show again. */
export class Account {
  readonly agents = new Collection<v1_2.Agent>();
  readonly sessions = new Collection<v1_2.Session>();
  readonly webhooks = new Collection<v1_2.Webhook>();
  readonly tools = new Collection<v1_2.Tool>();
  readonly teams = new Collection<v1_2.Team>();
  readonly memories = new Collection<v1_2.Memory>();
  readonly triggers = new Collection<v1_2.Trigger>();
  /** Steps and run options of each session, by session id. */
  readonly sessionExtras = new Map<string, SessionExtras>();
  /** Webhook and trigger signing secrets, by object id. */
  readonly secrets = new Map<string, string>();
  /** The API version each webhook was created (or imported) with: its deliveries' shape and signing scheme. */
  readonly webhookVersions = new Map<string, ApiVersion>();

  constructor(readonly id: string) {}

  /** The collection of a kind. */
  collection(kind: StoredKind): Collection<{ id: string }> {
    return this[kind] as unknown as Collection<{ id: string }>;
  }

  /** A copy of the account, every object and secret copied, so changing one leaves the other as it was. */
  copy(): Account {
    const copy = new Account(this.id);
    for (const kind of KINDS) this.collection(kind).copyInto(copy.collection(kind));
    for (const [id, { steps, maxSteps }] of this.sessionExtras) steps.copyInto(copy.extras(id, maxSteps).steps);
    for (const [id, secret] of this.secrets) copy.secrets.set(id, secret);
    for (const [id, version] of this.webhookVersions) copy.webhookVersions.set(id, version);
    return copy;
  }

  /** The step collection of a session, created on first use. */
  extras(sessionId: string, maxSteps = 10): SessionExtras {
    let extras = this.sessionExtras.get(sessionId);
    if (!extras) {
      extras = { steps: new Collection<v1_2.Step>(), maxSteps };
      this.sessionExtras.set(sessionId, extras);
    }
    return extras;
  }
}

/** All accounts and the keys that open them. */
export class Store {
  readonly accounts = new Map<string, Account>();
  readonly keys = new Map<string, KeyGrant>();

  /** Creates (or replaces) an account and gives `key` access to it. */
  addAccount(accountId: string, key: string, scopes: string[]): Account {
    const account = new Account(accountId);
    this.accounts.set(accountId, account);
    this.keys.set(key, { accountId, scopes: [...scopes] });
    return account;
  }

  /** The grant of a key, or undefined. */
  grant(key: string): KeyGrant | undefined {
    return this.keys.get(key);
  }

  /**
   * Makes this store a copy of `source` (what `reset()` restores: the store right after creation);
   * `copied` is told each account and its copy, to copy what is kept beside the store.
   */
  copyFrom(source: Store, copied?: (from: Account, to: Account) => void): void {
    this.clear();
    for (const [id, account] of source.accounts) {
      const copy = account.copy();
      this.accounts.set(id, copy);
      copied?.(account, copy);
    }
    for (const [key, grant] of source.keys) this.keys.set(key, { ...grant, scopes: [...grant.scopes] });
  }

  /** Drops every account and key. */
  clear(): void {
    this.accounts.clear();
    this.keys.clear();
  }
}
