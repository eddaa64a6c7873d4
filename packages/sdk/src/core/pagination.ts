import type { ListPage } from "@resonantgenesis/schemas";
import { APIPromise } from "./api-promise.js";
import { ResonantError, ResponseValidationError } from "./errors.js";

/** Fetches the page that follows a cursor. */
export type PageFetcher<T> = (cursor: string) => PagePromise<T>;

/**
 * One page of a list: its items, whether more follow, and the way to them.
 * Iterating a page with `for await` walks this page and every later one.
 */
export class Page<T> implements AsyncIterable<T> {
  // `declare`d and set by the constructor, as in errors.ts: a field definition costs browser bytes.
  /** The items of this page, oldest first. */
  declare readonly data: T[];
  /** Whether another page follows (the answer's `has_more`). */
  declare readonly hasMore: boolean;
  /** The cursor of the next page, or null on the last. */
  declare readonly nextCursor: string | null;
  /** The answer as it came, with what a newer server added to it (`page.body.total_count`, say), as `unknown`. */
  declare readonly body: Readonly<Record<string, unknown>>;
  readonly #fetchNext: PageFetcher<T>;

  /**
   * @param page - The list answer, or an export page read as one.
   * @param fetchNext - Fetches a later page.
   * @param body - The answer as it came, when it was not in the list envelope.
   */
  constructor(page: ListPage<T>, fetchNext: PageFetcher<T>, body: Record<string, unknown> = page) {
    this.data = page.data;
    this.hasMore = page.has_more;
    this.nextCursor = page.next_cursor;
    this.body = body;
    this.#fetchNext = fetchNext;
  }

  /** Whether {@link Page.getNextPage} has a page to fetch. */
  hasNextPage(): boolean {
    return this.hasMore;
  }

  /**
   * The next page. On the last one (check {@link Page.hasMore}) the promise it
   * returns rejects with a {@link ResonantError}: calling it never throws, so
   * `.catch()` on its result sees the error, and nothing is sent. A page whose
   * `has_more` is true without a `next_cursor` rejects with a {@link ResponseValidationError}.
   */
  getNextPage(): PagePromise<T> {
    const cursor = this.nextCursor;
    if (this.hasMore && cursor !== null) return this.#fetchNext(cursor);
    // More to come but no way to it: said, rather than the list ending short as if it were whole.
    const issues = [
      { path: "next_cursor", message: "is null while has_more is true: the rest of the list cannot be fetched" },
    ];
    return new PagePromise(
      Promise.reject(
        this.hasMore
          ? new ResponseValidationError(undefined, { issues })
          : new ResonantError("No next page: check page.hasMore before calling getNextPage()."),
      ),
      () => Promise.reject(),
    );
  }

  /** Every page from this one on; a cursor the server hands back a second time ends it with a `ResponseValidationError`. */
  async *iterPages(): AsyncGenerator<Page<T>, void, undefined> {
    let page: Page<T> = this;
    const followed = new Set<string>();
    yield page;
    while (page.hasMore) {
      // A server (or a cache before it) that answers a cursor it already gave would keep the loop fetching forever.
      // A null one (has_more without a cursor) is refused by getNextPage.
      const cursor = page.nextCursor!;
      if (followed.has(cursor)) {
        const message = `${JSON.stringify(cursor)} was followed before: the list would never end`;
        throw new ResponseValidationError(undefined, { issues: [{ path: "next_cursor", message }] });
      }
      followed.add(cursor);
      page = await page.getNextPage();
      yield page;
    }
  }

  /** Every item of this page and the pages after it. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.iterPages()) yield* page.data;
  }
}

/**
 * What `list()` returns: await it for the first {@link Page}, or iterate it
 * with `for await` (no first await needed) for every item of every page.
 */
export class PagePromise<T> extends APIPromise<Page<T>> implements AsyncIterable<T> {
  /** Every item of every page, fetching pages as the loop needs them. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    const first = await this;
    yield* first;
  }

  /**
   * Collect every item into one array, stopping with an error past `limit`
   * items (default 10,000) so a huge account cannot exhaust memory by accident.
   */
  async toArray({ limit = 10_000 }: { limit?: number | undefined } = {}): Promise<T[]> {
    const out: T[] = [];
    for await (const item of this) {
      if (out.length >= limit) {
        throw new RangeError(
          `The list has more than ${limit} items; raise toArray({ limit }) or iterate with for await.`,
        );
      }
      out.push(item);
    }
    return out;
  }
}
