/**
 * Build-time seed runner of the MongoDB image (bundled with the official driver into seed-runner.js by
 * engine-images.ts): `node seed-runner.js <url> <database> <seed module>` connects, calls the module's export
 * `async (db: Db) => void` with the database, and exits non-zero when it throws.
 */
import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';

async function main(): Promise<void> {
  const [url, database, file] = process.argv.slice(2);
  if (!url || !database || !file) throw new Error('usage: seed-runner <url> <database> <seed.js>');
  const seed = require(path.resolve(file)) as
    ((db: Db) => Promise<void>) | { default: (db: Db) => Promise<void> };
  const fn = typeof seed === 'function' ? seed : seed.default;
  const client = await MongoClient.connect(url);
  try {
    await fn(client.db(database));
  } finally {
    await client.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
