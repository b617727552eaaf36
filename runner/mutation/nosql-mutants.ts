import ts from 'typescript';
import type { SubmissionFiles } from '../archive';
import { applyEdits, type Mutant } from './mutant';
import { eachCall } from './source-calls';
import { lineOf, withFile } from './source-mutants';

/** MongoDB driver methods that declare indexes (MongoDB Node.js driver, `Collection.createIndex(es)`). */
const CREATE_INDEX = new Set(['createIndex', 'createIndexes']);
/** Redis commands that set a TTL on an existing key (Redis docs: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT). */
const EXPIRE = new Set(['expire', 'pexpire', 'expireat', 'pexpireat']);
/** `SET` options that give the key a TTL (Redis docs, SET: EX, PX, EXAT, PXAT). */
const SET_TTL_OPTION = /^(?:EX|PX|EXAT|PXAT)$/i;

/**
 * One mutant per `createIndex`/`createIndexes` call of the MongoDB driver: the call is replaced by
 * `Promise.resolve()`, so the index is never created and everything else runs as before.
 */
export function mongoIndexMutants(files: SubmissionFiles): Mutant[] {
  const out: Mutant[] = [];
  eachCall(files, ({ file, text, sf, call, receiver, name }) => {
    if (!receiver) return;
    const m = { call, receiver, name };
    if (!CREATE_INDEX.has(m.name)) return;
    const at = m.call.getStart(sf);
    const spec = m.call.arguments[0]?.getText(sf).replace(/\s+/g, ' ') ?? '';
    out.push({
      id: `drop-mongo-index:${file}:${lineOf(sf, at)}`,
      kind: 'drop-mongo-index',
      description: `${file}:${lineOf(sf, at)}: the index ${spec} is never created.`,
      files: withFile(
        files,
        file,
        applyEdits(text, [{ start: at, end: m.call.getEnd(), replacement: 'Promise.resolve()' }]),
      ),
    });
  });
  return out;
}

/**
 * One mutant per Redis expiry in the source: `x.expire(…)` (and `pexpire`, `expireat`, `pexpireat`) is
 * replaced by its receiver `x` (so a MULTI chain keeps working, without the expiry); `set(k, v, 'EX', n)` loses
 * its TTL option and value; `setex(k, s, v)` and `psetex` become `set(k, v)`. The key then never expires.
 */
export function cacheExpiryMutants(files: SubmissionFiles): Mutant[] {
  const out: Mutant[] = [];
  eachCall(files, ({ file, text, sf, call, receiver, name }) => {
    if (!receiver) return;
    const m = { call, receiver, name };
    const args = m.call.arguments;
    let replacement: string | null = null;
    let what = '';
    if (EXPIRE.has(m.name.toLowerCase())) {
      replacement = m.receiver.getText(sf);
      what = `${m.name}() is not called`;
    } else if (m.name.toLowerCase() === 'set') {
      const i = args.findIndex((a) => ts.isStringLiteralLike(a) && SET_TTL_OPTION.test(a.text));
      if (i < 0) return;
      const kept = args.filter((_, k) => k !== i && k !== i + 1).map((a) => a.getText(sf));
      replacement = `${m.receiver.getText(sf)}.${m.name}(${kept.join(', ')})`;
      what = `set() loses its ${(args[i] as ts.StringLiteralLike).text} option`;
    } else if (/^p?setex$/i.test(m.name) && args.length === 3) {
      replacement = `${m.receiver.getText(sf)}.set(${args[0]!.getText(sf)}, ${args[2]!.getText(sf)})`;
      what = `${m.name}() becomes set() without a TTL`;
    }
    if (replacement === null) return;
    const at = m.call.getStart(sf);
    out.push({
      id: `drop-cache-expiry:${file}:${lineOf(sf, at)}`,
      kind: 'drop-cache-expiry',
      description: `${file}:${lineOf(sf, at)}: ${what}, so the key never expires.`,
      files: withFile(files, file, applyEdits(text, [{ start: at, end: m.call.getEnd(), replacement }])),
    });
  });
  return out;
}
