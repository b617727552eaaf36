import type { Random } from '../random';
import type { HttpRequest } from './client';

/**
 * Classes of generated bad input (docs/grading.md "Generated bad input"). Every class is generated for every
 * target it applies to, with values drawn from the grader seed, so a defect confined to one class is met in
 * every grading whatever the seed.
 */
export const BAD_INPUT_CLASSES = [
  'control-bytes',
  'long-string',
  'non-ascii',
  'huge-number',
  'cursor-wrong-type',
  'cursor-wrong-value',
  'repeated-parameter',
  'wrong-content-type',
] as const;

/** One class of {@link BAD_INPUT_CLASSES}. */
export type BadInputClass = (typeof BAD_INPUT_CLASSES)[number];

/** One generated bad request: its class, the parameter or field it targets, a label for messages. */
export interface BadInput {
  class: BadInputClass;
  /** `query:<name>`, `path:<name>`, `body:<dot.path>` or `content-type`. */
  target: string;
  label: string;
  request: HttpRequest;
}

/** What to vary: one endpoint with valid values for each parameter and field; each is varied in turn. */
export interface BadInputSpec {
  method?: string;
  /** Path, with `{name}` placeholders filled from `pathParams` (e.g. `/orders/{id}`). */
  path: string;
  headers?: Record<string, string>;
  /** Valid values of path placeholders. */
  pathParams?: Record<string, string>;
  /** Valid query parameters; the others are kept while one is varied. */
  query?: Record<string, string>;
  /**
   * Cursor parameters with a cursor the API returned (mutated into well-formed cursors of wrong types or
   * values when it decodes as base64/base64url JSON) or null (generic base64url JSON cursors are sent).
   */
  cursors?: Record<string, string | null>;
  /** A valid JSON body; each leaf (arrays: their first element) is varied in turn. */
  body?: Record<string, unknown>;
  /** Classes to generate (default all that apply). */
  classes?: readonly BadInputClass[];
  /** Values per class and target (default 1; at most 4). */
  perClass?: number;
}

const CONTROL = ['\u0000', 'a\u0000b', '\u0001', '\u001b[31m', 'x\r\ny', '\u007f', '\u0008', '\t\u000b'];
const NON_ASCII = ['é', 'Ä', '日本語', '😀', '\u202e', 'ﬀ', '\ufeff', 'İ', 'ß', 'Ω'];
/** Past int32, uint32, int64 and uint64, past double's range, and non-finite spellings. */
const HUGE = [
  '2147483648',
  '-2147483649',
  '4294967296',
  '9223372036854775808',
  '-9223372036854775809',
  '18446744073709551616',
  '99999999999999999999999999999999',
  '1e309',
  '-1e309',
  '1e20',
];
const HUGE_QUERY_ONLY = ['NaN', 'Infinity', '-Infinity'];
const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/xml',
  'multipart/form-data; boundary=sg',
  'application/octet-stream',
];
/** Marker replaced by a raw JSON number literal (JSON.stringify cannot write 1e309 or 2^64 exactly). */
const NUMBER_MARK = '__stackgrade_number__';

/** Draws `n` distinct elements (fewer when the pool is smaller). */
function draw<T>(rng: Random, pool: readonly T[], n: number): T[] {
  const rest = [...pool];
  const out: T[] = [];
  while (out.length < n && rest.length) out.push(rest.splice(rng.int(0, rest.length - 1), 1)[0]!);
  return out;
}

/** Strings of one class (control bytes, long, non-ASCII), `n` of them. */
function strings(rng: Random, cls: BadInputClass, n: number, maxLong: number): string[] {
  if (cls === 'control-bytes') return draw(rng, CONTROL, n).map((c) => `${rng.token(2)}${c}${rng.token(2)}`);
  if (cls === 'non-ascii') return draw(rng, NON_ASCII, n).map((c) => `${rng.token(2)}${c}${c}`);
  return Array.from({ length: n }, () => rng.token(8).repeat(Math.ceil(rng.int(maxLong / 2, maxLong) / 8)));
}

/** Decodes a base64/base64url cursor into JSON and how to re-encode it, or null. */
function decodeCursor(raw: string): { json: unknown; encode: (v: unknown) => string } | null {
  const url = /^[A-Za-z0-9_-]+$/.test(raw);
  if (!url && !/^[A-Za-z0-9+/]+=*$/.test(raw)) return null;
  try {
    const json: unknown = JSON.parse(Buffer.from(raw, url ? 'base64url' : 'base64').toString('utf8'));
    if (json === null || typeof json !== 'object') return null;
    return { json, encode: (v) => Buffer.from(JSON.stringify(v)).toString(url ? 'base64url' : 'base64') };
  } catch {
    return null;
  }
}

/** Leaf paths of a JSON value (arrays: every element), for cursors. */
function leaves(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(v)) return v.flatMap((x, i) => leaves(x, [...at, i]));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => leaves(x, [...at, k]));
  return [at];
}

/** Leaf paths of a body (arrays: their first element only). */
function bodyLeaves(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(v)) return v.length ? [at, ...bodyLeaves(v[0], [...at, 0])] : [at];
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => bodyLeaves(x, [...at, k]));
  return [at];
}

/** A deep copy of `v` with the value at `at` replaced. */
function replaced(v: unknown, at: (string | number)[], value: unknown): unknown {
  if (!at.length) return value;
  const copy: unknown = JSON.parse(JSON.stringify(v));
  let node = copy as Record<string | number, unknown>;
  for (const k of at.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  node[at[at.length - 1]!] = value;
  return copy;
}

/** Well-formed cursors (base64/base64url JSON) whose decoded content has a wrong type or a wrong value. */
function badCursors(rng: Random, real: string | null, n: number): Record<'type' | 'value', string[]> {
  const dec = real ? decodeCursor(real) : null;
  if (!dec) {
    const enc = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
    return {
      type: draw(rng, [['x'], { id: 'x' }, [{}], 'cursor', [null, null], { created_at: 1, id: [] }], n).map(
        enc,
      ),
      value: draw(rng, [[-1], [0], [1e300], [1.5], { id: -1 }, ['9999-99-99T99:99:99Z', 1]], n).map(enc),
    };
  }
  const json = dec.json;
  const paths = leaves(json);
  const at = (path: (string | number)[]): unknown =>
    path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], json);
  // A wrong type is one the leaf does not have: a string leaf gets a number, a number leaf a string.
  const wrongType = (leaf: unknown): unknown[] =>
    [rng.token(5), 42, {}, [1, 2], true, null].filter((v) => typeof v !== typeof leaf);
  const wrongValue = (leaf: unknown): unknown[] =>
    typeof leaf === 'string'
      ? ['', 'not-a-date', '9999-99-99T99:99:99Z', rng.token(40)]
      : [-1, 0, 2 ** 64, 1e300, 1.5, -(2 ** 53) - 2];
  const mutate = (pool: (leaf: unknown) => unknown[]): string => {
    const path = rng.pick(paths);
    return dec.encode(replaced(json, path, rng.pick(pool(at(path)))));
  };
  return {
    type: [
      dec.encode(rng.pick(Array.isArray(json) ? [{}, 'x', 42] : [[], 'x', 42])),
      ...Array.from({ length: Math.max(0, n - 1) }, () => mutate(wrongType)),
    ],
    value: Array.from({ length: n }, () => mutate(wrongValue)),
  };
}

const queryString = (q: Record<string, string> | [string, string][]): string => {
  const pairs = Array.isArray(q) ? q : Object.entries(q);
  return pairs.length ? `?${pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}` : '';
};

/**
 * Generates bad requests for one endpoint: for each query parameter, path placeholder and body leaf, `perClass`
 * values of each applicable class (control bytes, long and non-ASCII strings, numbers past every integer range;
 * cursors of wrong types and values for `cursors`; a repeated parameter per query parameter; the body under
 * wrong content types). Values come from `rng`, so the same seed gives the same inputs; the count is bounded:
 * at most `perClass` × targets × classes. Query strings stay under 4 kB of URL (below every server's line limit),
 * bodies under 60 kB.
 */
export function generateBadInputs(rng: Random, spec: BadInputSpec): BadInput[] {
  const n = Math.min(4, Math.max(1, spec.perClass ?? 1));
  const want = new Set<BadInputClass>(spec.classes ?? BAD_INPUT_CLASSES);
  const method = spec.method ?? 'GET';
  const query = spec.query ?? {};
  const cursors = spec.cursors ?? {};
  const params = spec.pathParams ?? {};
  const base = { method, ...(spec.headers ? { headers: spec.headers } : {}) };
  const pathWith = (over: Record<string, string>): string =>
    spec.path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(over[k] ?? params[k] ?? ''));
  const bodyText = spec.body ? JSON.stringify(spec.body) : undefined;
  const out: BadInput[] = [];
  const add = (cls: BadInputClass, target: string, label: string, req: Partial<HttpRequest>): void => {
    out.push({ class: cls, target, label, request: { ...base, path: pathWith({}), ...req } });
  };
  const stringClasses = (['control-bytes', 'long-string', 'non-ascii'] as const).filter((c) => want.has(c));

  for (const name of Object.keys(params)) {
    for (const cls of stringClasses)
      for (const v of strings(rng, cls, n, 1000))
        add(cls, `path:${name}`, `${cls} in path {${name}}`, { path: pathWith({ [name]: v }) });
    if (want.has('huge-number'))
      for (const v of draw(rng, [...HUGE, ...HUGE_QUERY_ONLY], n))
        add('huge-number', `path:${name}`, `${v} in path {${name}}`, { path: pathWith({ [name]: v }) });
  }

  const withParam = (name: string, v: string, extra: [string, string][] = []): string =>
    `${pathWith({})}${queryString([...Object.entries(query).filter(([k]) => k !== name), [name, v], ...extra])}`;
  for (const name of [...Object.keys(query), ...Object.keys(cursors)]) {
    for (const cls of stringClasses)
      for (const v of strings(rng, cls, n, 3000))
        add(cls, `query:${name}`, `${cls} in ${name}`, { path: withParam(name, v) });
    if (want.has('huge-number'))
      for (const v of draw(rng, [...HUGE, ...HUGE_QUERY_ONLY], n))
        add('huge-number', `query:${name}`, `${name}=${v}`, { path: withParam(name, v) });
    if (want.has('repeated-parameter')) {
      const first = query[name] ?? cursors[name] ?? rng.token(4);
      const second = rng.pick([first, rng.token(6), '', HUGE[rng.int(0, HUGE.length - 1)]!]);
      add('repeated-parameter', `query:${name}`, `${name} repeated`, {
        path: withParam(name, first, [[name, second]]),
      });
    }
  }
  for (const [name, real] of Object.entries(cursors)) {
    const bad = badCursors(rng, real, n);
    if (want.has('cursor-wrong-type'))
      for (const c of bad.type)
        add('cursor-wrong-type', `query:${name}`, `a ${name} decoding to a wrong type`, {
          path: withParam(name, c),
        });
    if (want.has('cursor-wrong-value'))
      for (const c of bad.value)
        add('cursor-wrong-value', `query:${name}`, `a ${name} decoding to a wrong value`, {
          path: withParam(name, c),
        });
  }

  if (spec.body) {
    for (const at of bodyLeaves(spec.body)) {
      const field = at.join('.') || '(body)';
      for (const cls of stringClasses)
        for (const v of strings(rng, cls, n, 50_000))
          add(cls, `body:${field}`, `${cls} in ${field}`, {
            body: JSON.stringify(replaced(spec.body, at, v)),
          });
      if (want.has('huge-number'))
        for (const v of draw(rng, HUGE, n))
          add('huge-number', `body:${field}`, `${field}: ${v}`, {
            body: JSON.stringify(replaced(spec.body, at, NUMBER_MARK)).replace(`"${NUMBER_MARK}"`, v),
          });
    }
    if (want.has('wrong-content-type'))
      for (const ct of draw(rng, CONTENT_TYPES, n))
        add('wrong-content-type', 'content-type', `the body as ${ct}`, {
          body: bodyText,
          headers: { ...spec.headers, 'content-type': ct },
        });
  }
  return out;
}

/** Counts of generated inputs per class (for evidence and docs). */
export function countByClass(inputs: readonly BadInput[]): Partial<Record<BadInputClass, number>> {
  const out: Partial<Record<BadInputClass, number>> = {};
  for (const i of inputs) out[i.class] = (out[i.class] ?? 0) + 1;
  return out;
}
