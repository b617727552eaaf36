/**
 * Evidence that quotes a candidate's answer may hold keys the MongoDB-compatible store refuses (`$gt`, `a.b`):
 * the store refuses such a document, and the store-safe form of the same evidence is stored and read back.
 */
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { storeSafeValue } from '../../../runner/contract/store-safe-keys';

const MONGODB_URI = process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017';

describe('store-safe evidence in the real store', () => {
  let client: MongoClient;
  const dbName = `t_${randomUUID().slice(0, 8)}`;
  beforeAll(async () => {
    client = await MongoClient.connect(MONGODB_URI);
  });
  afterAll(async () => {
    await client.db(dbName).dropDatabase();
    await client.close();
  });

  it('refuses evidence with operator keys as sent, stores its store-safe form', async () => {
    const col = client.db(dbName).collection<{ _id: string; evidence: unknown }>('reports');
    const evidence = { sent: { price: { $gt: '' } }, answered: [{ 'field.name': 'x' }] };
    await expect(col.insertOne({ _id: 'raw', evidence })).rejects.toThrow();
    await col.insertOne({ _id: 'safe', evidence: storeSafeValue(evidence) });
    const back = await col.findOne({ _id: 'safe' });
    expect(back?.evidence).toEqual({
      sent: { price: { '\uFF04gt': '' } },
      answered: [{ 'field\uFF0Ename': 'x' }],
    });
  });
});
