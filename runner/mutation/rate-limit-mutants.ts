import ts from 'typescript';
import type { SubmissionFiles } from '../archive';
import { applyEdits, type Mutant } from './mutant';
import { eachCall, enclosingFunctionName } from './source-calls';
import { lineOf, withFile } from './source-mutants';

/** Redis commands that add to a counter (Redis docs: INCR, INCRBY, INCRBYFLOAT, HINCRBY, HINCRBYFLOAT). */
const INCREMENT = /^(?:incr|incrby|incrbyfloat|hincrby|hincrbyfloat)$/i;
/** Words that mark a counter as a rate limit: in its file's path, its function's name or its key. */
const RATE_LIMIT = /limit|throttl|fail|attempt|brute|lockout/i;

/**
 * One mutant per Redis increment of a rate-limit counter (a counter whose file, enclosing function or key
 * expression says limit, throttle, fail, attempt, brute or lockout): the increment is dropped, so the
 * counter never grows and the limit is never reached. In a MULTI/pipeline chain (`multi().incr(k).expire(…)`)
 * the call is replaced by its receiver, keeping the chain; a standalone call by `Promise.resolve(1)`, as if
 * every increment were the first.
 */
export function rateLimitMutants(files: SubmissionFiles): Mutant[] {
  const out: Mutant[] = [];
  eachCall(files, (c) => {
    if (!c.receiver || !INCREMENT.test(c.name)) return;
    const key = c.call.arguments[0]?.getText(c.sf) ?? '';
    const fnName = enclosingFunctionName(c.call) ?? '';
    if (!RATE_LIMIT.test(c.file) && !RATE_LIMIT.test(fnName) && !RATE_LIMIT.test(key)) return;
    const chained = ts.isCallExpression(c.receiver);
    const at = c.call.getStart(c.sf);
    // The line of the method name: a chain starts lines above it.
    const where = `${c.file}:${lineOf(c.sf, (c.call.expression as ts.PropertyAccessExpression).name.getStart(c.sf))}`;
    out.push({
      id: `drop-rate-limit-increment:${where}`,
      kind: 'drop-rate-limit-increment',
      description: `${where}: ${c.name}(${key}) is dropped, so that counter never grows.`,
      files: withFile(
        files,
        c.file,
        applyEdits(c.text, [
          {
            start: at,
            end: c.call.getEnd(),
            replacement: chained ? c.receiver.getText(c.sf) : 'Promise.resolve(1)',
          },
        ]),
      ),
    });
  });
  return out;
}
