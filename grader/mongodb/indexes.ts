import type { Db } from 'mongodb';
import { failed, passed, type Verdict } from '../verdict';

/** One index: its name and key pattern in order, e.g. `{ customer_id: 1, created_at: -1 }`. */
export interface MongoIndex {
  name: string;
  key: Record<string, number | string>;
}

/** The indexes of a collection (`listIndexes`; works on MongoDB and FerretDB). */
export async function listMongoIndexes(db: Db, collection: string): Promise<MongoIndex[]> {
  const idx = await db.collection(collection).indexes();
  return idx.map((i) => ({ name: String(i.name), key: i.key as Record<string, number | string> }));
}

/**
 * Passes when some index of `collection` has `fields` as its leading keys in order (a compound index serves
 * queries on its prefixes: MongoDB manual, "Compound Indexes / Index Prefixes"; docs/grading.md M-05).
 */
export async function mongoIndexLeadingWith(
  db: Db,
  collection: string,
  fields: readonly string[],
): Promise<Verdict> {
  const idx = await listMongoIndexes(db, collection);
  const hit = idx.find((i) => {
    const keys = Object.keys(i.key);
    return fields.every((f, k) => keys[k] === f);
  });
  const evidence = { collection, wanted: [...fields], indexes: idx };
  return hit
    ? passed({ ...evidence, index: hit.name })
    : failed(`No index on ${collection} starts with (${fields.join(', ')}).`, evidence);
}
