import { failed, passed, type Verdict } from '../verdict';
import type { PgProbe } from './pg-probe';

/** One index of a table: name, definition and its key columns in order (expressions as null). */
export interface IndexInfo {
  name: string;
  definition: string;
  columns: (string | null)[];
  unique: boolean;
}

/** The indexes of `schema.table` (default schema `public`) with their key columns, from pg_index. */
export async function listIndexes(db: PgProbe, table: string, schema = 'public'): Promise<IndexInfo[]> {
  const rows = await db.query<{ name: string; def: string; cols: (string | null)[]; uniq: boolean }>(
    `SELECT ic.relname AS name, pg_get_indexdef(i.indexrelid) AS def, i.indisunique AS uniq,
            ARRAY(SELECT a.attname FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                    LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                   WHERE k.ord <= i.indnkeyatts ORDER BY k.ord)::text[] AS cols
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = $1 AND t.relname = $2 AND i.indisvalid ORDER BY ic.relname`,
    [schema, table],
  );
  return rows.map((r) => ({ name: r.name, definition: r.def, columns: r.cols, unique: r.uniq }));
}

/**
 * Passes when some valid index of `table` starts with `columns` in this order (a B-tree serves a filter on
 * its leading columns: PostgreSQL docs §11.3 "Multicolumn Indexes"; docs/grading.md Q-06).
 */
export async function indexLeadingWith(
  db: PgProbe,
  table: string,
  columns: readonly string[],
  schema = 'public',
): Promise<Verdict> {
  const idx = await listIndexes(db, table, schema);
  const hit = idx.find((i) => columns.every((c, k) => i.columns[k] === c));
  const evidence = { table, wanted: [...columns], indexes: idx.map((i) => i.definition) };
  return hit
    ? passed({ ...evidence, index: hit.name })
    : failed(`No index on ${table} starts with (${columns.join(', ')}).`, evidence);
}

/**
 * Foreign keys without an index whose leading columns are the key's columns (the catalog query of
 * docs/grading.md, "PostgreSQL probes"): every such key makes joins and cascaded deletes scan the referencing
 * table.
 */
export async function foreignKeysWithoutIndex(
  db: PgProbe,
  schema = 'public',
): Promise<{ table: string; constraint: string; columns: string[] }[]> {
  return db.query(
    `SELECT c.conrelid::regclass::text AS table, c.conname AS constraint,
            ARRAY(SELECT a.attname FROM unnest(c.conkey) k JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k)::text[] AS columns
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE c.contype = 'f' AND n.nspname = $1
        AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid
                          AND (i.indkey::int2[])[0:array_length(c.conkey, 1) - 1] = c.conkey)`,
    [schema],
  );
}
