import { failed, passed, type Verdict } from '../verdict';
import type { HttpClient, HttpResponse } from './client';

/** One page as a style reads it: its items and the path of the next page (null on the last page). */
export interface PageRead {
  items: unknown[];
  next: string | null;
}

/**
 * How a collection pages. `read` gets the response and the path it came from; it returns the page or a
 * string saying why the response is not a page.
 */
export interface PaginationStyle {
  name: string;
  read: (res: HttpResponse, path: string) => PageRead | string;
}

function withParam(path: string, name: string, value: string): string {
  const u = new URL(path, 'http://x');
  u.searchParams.set(name, value);
  return `${u.pathname}${u.search}`;
}

function field(json: unknown, key: string): unknown {
  return json && typeof json === 'object' && !Array.isArray(json)
    ? (json as Record<string, unknown>)[key]
    : undefined;
}

/**
 * Cursor (keyset) style: `{ [itemsKey]: [...], [cursorKey]: string | null }`, next page = the first path with
 * `param=<cursor>` (defaults: `data`, `next_cursor`, `cursor`; Google AIP-158 and Zalando #160 use the same shape).
 */
export function cursorStyle(
  o: { itemsKey?: string; cursorKey?: string; param?: string } = {},
): PaginationStyle {
  const itemsKey = o.itemsKey ?? 'data';
  const cursorKey = o.cursorKey ?? 'next_cursor';
  const param = o.param ?? 'cursor';
  return {
    name: `cursor (${cursorKey} → ?${param}=)`,
    read: (res, path) => {
      if (res.status !== 200) return `answered ${res.status}`;
      const items = field(res.json, itemsKey);
      const cursor = field(res.json, cursorKey);
      if (!Array.isArray(items)) return `has no "${itemsKey}" array`;
      if (cursor !== null && cursor !== undefined && typeof cursor !== 'string')
        return `"${cursorKey}" is not a string or null`;
      return {
        items,
        next: typeof cursor === 'string' && cursor !== '' ? withParam(path, param, cursor) : null,
      };
    },
  };
}

/**
 * Page/offset style: `?[param]=n` from `start` (default `page` from 1), items under `itemsKey` (default
 * `data`), the walk ends at the first page with fewer than `pageSize` items.
 */
export function pageNumberStyle(o: {
  pageSize: number;
  itemsKey?: string;
  param?: string;
  start?: number;
  step?: number;
}): PaginationStyle {
  const itemsKey = o.itemsKey ?? 'data';
  const param = o.param ?? 'page';
  const start = o.start ?? 1;
  const step = o.step ?? 1;
  return {
    name: `page number (?${param}=)`,
    read: (res, path) => {
      if (res.status !== 200) return `answered ${res.status}`;
      const items = Array.isArray(res.json) && itemsKey === '' ? res.json : field(res.json, itemsKey);
      if (!Array.isArray(items)) return `has no "${itemsKey}" array`;
      const current = Number(new URL(path, 'http://x').searchParams.get(param) ?? start);
      return {
        items,
        next: items.length < o.pageSize ? null : withParam(path, param, String(current + step)),
      };
    },
  };
}

/** Link-header style (RFC 8288): items under `itemsKey`, the next page is the `rel="next"` target. */
export function linkHeaderStyle(o: { itemsKey?: string } = {}): PaginationStyle {
  const itemsKey = o.itemsKey ?? 'data';
  return {
    name: 'Link rel="next"',
    read: (res) => {
      if (res.status !== 200) return `answered ${res.status}`;
      const items = itemsKey === '' ? res.json : field(res.json, itemsKey);
      if (!Array.isArray(items)) return `has no "${itemsKey}" array`;
      const m = /<([^>]+)>\s*;[^,]*\brel="?next"?/i.exec(res.headers.link ?? '');
      if (!m) return { items, next: null };
      const u = new URL(m[1]!, 'http://x');
      return { items, next: `${u.pathname}${u.search}` };
    },
  };
}

/** Options of {@link walkCollection}. */
export interface WalkOptions {
  firstPath: string;
  style: PaginationStyle;
  headers?: Record<string, string>;
  /** Stop (and fail) after this many pages (default 1 000). */
  maxPages?: number;
  /** Called after page `i` (from 0) before the next request: insert rows to prove cursors are stable. */
  between?: (pageNo: number) => Promise<void>;
}

/** Result of a walk: every item in order, pages read, and why it stopped early (null when it ended properly). */
export interface WalkResult {
  items: unknown[];
  pages: number;
  problem: string | null;
}

/** Follows a collection page by page until its last page (or a problem), collecting items. */
export async function walkCollection(client: HttpClient, o: WalkOptions): Promise<WalkResult> {
  const items: unknown[] = [];
  let path: string | null = o.firstPath;
  const max = o.maxPages ?? 1000;
  for (let i = 0; i < max && path; i++) {
    const res = await client.request({ path, headers: o.headers });
    const page = o.style.read(res, path);
    if (typeof page === 'string') return { items, pages: i, problem: `GET ${path} ${page}` };
    items.push(...page.items);
    if (page.next === path) return { items, pages: i + 1, problem: `page ${i + 1} links to itself` };
    path = page.next;
    if (path && o.between) await o.between(i);
  }
  return { items, pages: max, problem: path ? `the walk did not end after ${max} pages` : null };
}

/**
 * Walks a collection and passes when every expected id appears exactly once (docs/grading.md API-14:
 * "every pre-existing item exactly once; terminates"). Items not in `expected` (rows inserted during the
 * walk) are allowed once each.
 */
export async function paginationIntegrity(
  client: HttpClient,
  o: WalkOptions & { expected: readonly (string | number)[]; idOf?: (item: unknown) => string | number },
): Promise<Verdict> {
  const idOf = o.idOf ?? ((it: unknown) => field(it, 'id') as string | number);
  const w = await walkCollection(client, o);
  const ids = w.items.map((it) => String(idOf(it)));
  const seen = new Set(ids);
  const missing = o.expected.filter((id) => !seen.has(String(id)));
  const repeated = ids.length - seen.size;
  const evidence = {
    style: o.style.name,
    pages: w.pages,
    items: ids.length,
    expected: o.expected.length,
    missing: missing.slice(0, 10),
    missing_count: missing.length,
    repeated,
    problem: w.problem,
  };
  if (w.problem) return failed(`Walking ${o.firstPath}: ${w.problem}.`, evidence);
  if (missing.length || repeated)
    return failed(
      `Following the pages of ${o.firstPath} skipped ${missing.length} and repeated ${repeated} items.`,
      evidence,
    );
  return passed(evidence);
}
