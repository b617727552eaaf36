/** One place in a seed's SQL that makes two builds of the database differ. */
export interface Nondeterminism {
  /** 1-based line in the file. */
  line: number;
  message: string;
}

/**
 * Volatile functions whose value changes from one build to the next (PostgreSQL docs, "Date/Time Functions":
 * the current time; "Mathematical Functions": random(); "UUID Functions"). A seed that calls them gives
 * each build of the database image other rows, so two gradings of the same solution may see other data.
 */
const VOLATILE: { pattern: RegExp; name: string }[] = [
  { pattern: /\brandom\s*\(/i, name: 'random()' },
  { pattern: /\bgen_random_uuid\s*\(/i, name: 'gen_random_uuid()' },
  { pattern: /\buuid_generate_v[14]\s*\(/i, name: 'uuid_generate_v1/v4()' },
  { pattern: /\bnow\s*\(/i, name: 'now()' },
  { pattern: /\bclock_timestamp\s*\(/i, name: 'clock_timestamp()' },
  { pattern: /\bstatement_timestamp\s*\(/i, name: 'statement_timestamp()' },
  { pattern: /\btransaction_timestamp\s*\(/i, name: 'transaction_timestamp()' },
  { pattern: /\btimeofday\s*\(/i, name: 'timeofday()' },
  { pattern: /\bcurrent_(timestamp|date|time)\b/i, name: 'current_timestamp/current_date/current_time' },
  { pattern: /\blocal(timestamp|time)\b/i, name: 'localtimestamp/localtime' },
];

/**
 * Finds what makes a seed script nondeterministic, statically: a volatile function called outside a column
 * `DEFAULT` (a default only matters for rows the seed inserts without that column, which a deterministic
 * seed does not do), and `random()` unless `setseed(…)` ran earlier in the file (which makes the sequence
 * repeatable). Comments (`--`) and string literals are ignored.
 *
 * @param sql - the text of one `.sql` file of a challenge's database recipe.
 */
export function findNondeterminism(sql: string): Nondeterminism[] {
  const out: Nondeterminism[] = [];
  let seeded = false;
  sql.split('\n').forEach((rawLine, i) => {
    const line = rawLine.replace(/'(?:[^']|'')*'/g, "''").replace(/--.*$/, '');
    if (/\bsetseed\s*\(/i.test(line)) seeded = true;
    for (const v of VOLATILE) {
      const m = v.pattern.exec(line);
      if (!m) continue;
      if (/\bDEFAULT\s*\(?\s*$/i.test(line.slice(0, m.index))) continue;
      if (v.name === 'random()' && seeded) continue;
      out.push({
        line: i + 1,
        message: `${v.name} makes the seed differ between builds; derive values from generate_series and integer arithmetic${v.name === 'random()' ? ', or call setseed() first' : ''}`,
      });
    }
  });
  return out;
}
