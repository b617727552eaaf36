'use strict';
/**
 * Runtime part of `stackgrade challenge mutate`: loaded with `node --require` into a mutant of a
 * challenge's reference (never into a candidate's code). It wraps node-postgres' `Client.prototype.query`
 * (which `Pool#query` also goes through) and injects one defect, chosen by the `STACKGRADE_MUTANT` object
 * that the mutation generator writes above this text:
 *
 * - `{ kind: 'drop-index', index }`: the `CREATE INDEX` statement creating `index` is answered without
 *   being run, as if the author had forgotten it.
 * - `{ kind: 'sql-concatenation' }`: every parameterised statement is sent with its values pasted into the
 *   text, unescaped (strings in single quotes, arrays as array literals), and no parameters: what string
 *   concatenation of user input produces (OWASP API8:2023, CWE-89).
 * - `{ kind: 'per-row-query' }`: after a SELECT that returns two or more rows, one more statement is run per
 *   row, one after the other: the N+1 shape (docs/grading.md Q-01).
 *
 * Only the promise and callback forms with a text (or `{ text, values }`) are changed; anything else is
 * passed through untouched.
 */
/* global STACKGRADE_MUTANT */
(function installMutant(mutant) {
  let pg;
  try {
    pg = require(require.resolve('pg', { paths: [process.cwd(), __dirname] }));
  } catch {
    process.stderr.write('stackgrade mutant: pg is not installed; the mutant changes nothing\n');
    return;
  }
  const original = pg.Client.prototype.query;

  const quote = (v) => {
    if (v === null || v === undefined) return 'NULL';
    if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
    if (v instanceof Date) return `'${v.toISOString()}'`;
    if (Array.isArray(v)) return `'{${v.map((x) => (x === null ? 'NULL' : String(x))).join(',')}}'`;
    return `'${String(v)}'`;
  };

  const inline = (text, values) =>
    text.replace(/\$(\d+)/g, (m, n) => (Number(n) <= values.length ? quote(values[Number(n) - 1]) : m));

  const createIndexName = (text) => {
    const m =
      /^\s*CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?"?(\w+)"?/i.exec(text);
    return m ? m[1].toLowerCase() : null;
  };

  const answer = (result, callback) => {
    if (typeof callback === 'function') {
      process.nextTick(() => callback(null, result));
      return undefined;
    }
    return Promise.resolve(result);
  };

  pg.Client.prototype.query = function mutantQuery(config, values, callback) {
    const isText = typeof config === 'string';
    const text = isText ? config : config && typeof config.text === 'string' ? config.text : null;
    if (text === null || (config && typeof config.submit === 'function')) {
      return original.call(this, config, values, callback);
    }
    const cb = typeof values === 'function' ? values : callback;
    const vals = Array.isArray(values)
      ? values
      : !isText && Array.isArray(config.values)
        ? config.values
        : [];

    if (mutant.kind === 'drop-index' && createIndexName(text) === mutant.index) {
      return answer({ command: 'CREATE', rowCount: null, rows: [], fields: [] }, cb);
    }
    if (mutant.kind === 'sql-concatenation' && vals.length > 0) {
      const sql = inline(text, vals);
      return isText
        ? original.call(this, sql, cb)
        : original.call(this, { ...config, text: sql, values: undefined, name: undefined }, cb);
    }
    if (mutant.kind === 'per-row-query' && /^\s*(WITH|SELECT)\b/i.test(text)) {
      const run = original
        .call(this, config, Array.isArray(values) ? values : undefined)
        .then(async (res) => {
          const rows = Array.isArray(res && res.rows) ? res.rows : [];
          if (rows.length >= 2) {
            for (let i = 0; i < rows.length; i++) {
              await original.call(this, 'SELECT $1::int AS stackgrade_mutant_row', [i]);
            }
          }
          return res;
        });
      if (typeof cb !== 'function') return run;
      run.then(
        (res) => cb(null, res),
        (err) => cb(err),
      );
      return undefined;
    }
    return original.call(this, config, values, callback);
  };
})(STACKGRADE_MUTANT);
