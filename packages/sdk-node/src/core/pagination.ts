import { APIPromise, type WithResponse } from './api-promise.js';
import { CareOSError } from './errors.js';

/** Fetches the page that starts at `cursor`. */
export type PageLoader<Item> = (cursor: string) => PagePromise<Item>;

/**
 * One page of a list. `data` holds this page's items; `next_cursor` is `null` on the last
 * page. Iterating a page with `for await` walks every item of this page and all later ones.
 */
export class Page<Item> implements AsyncIterable<Item> {
  /** Items of this page, in the order the API returned them. */
  readonly data: Item[];
  /** Cursor of the next page, `null` on the last page. */
  readonly next_cursor: string | null;
  /** The list response as received (e.g. `{ payments: [...], next_cursor }`). */
  readonly body: unknown;
  readonly #load: PageLoader<Item>;

  /**
   * @param load fetches a later page
   * @param data this page's items
   * @param nextCursor cursor of the next page, or `null`
   * @param body the list response as received
   */
  constructor(load: PageLoader<Item>, data: Item[], nextCursor: string | null, body: unknown) {
    this.#load = load;
    this.data = data;
    this.next_cursor = nextCursor;
    this.body = body;
  }

  /** Whether another page follows. */
  hasNextPage(): boolean {
    return this.next_cursor !== null;
  }

  /** Fetches the next page; throws when {@link hasNextPage} is false. */
  getNextPage(): PagePromise<Item> {
    if (this.next_cursor === null) throw new CareOSError('No next page: check hasNextPage() first');
    return this.#load(this.next_cursor);
  }

  /** This page and every later one. Stops if the API ever repeats a cursor, instead of looping. */
  async *iterPages(): AsyncGenerator<Page<Item>, void, undefined> {
    let page: Page<Item> = this;
    const seen = new Set<string>();
    for (;;) {
      yield page;
      const cursor = page.next_cursor;
      if (cursor === null || seen.has(cursor)) return;
      seen.add(cursor);
      page = await this.#load(cursor);
    }
  }

  /** Every item of this page and of all later pages, fetching pages as needed. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    for await (const page of this.iterPages()) yield* page.data;
  }
}

/**
 * What list methods return: `await` it for the first {@link Page}, or iterate it with
 * `for await` to get every item across all pages.
 */
export class PagePromise<Item> extends APIPromise<Page<Item>> implements AsyncIterable<Item> {
  /** @param response resolves with the first page */
  constructor(response: Promise<WithResponse<Page<Item>>>) {
    super(response);
  }

  /** Every item of every page, starting with the first. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    const first = await this;
    yield* first;
  }
}
