/** `npm run api-key` as a real child process against the real store (FerretDB): create, list, revoke. */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import { MongoApiKeyStore } from '../../../api/data-access/api-key-store';
import { SCOPES } from '../../../api/domain/scopes';
import { verifyApiKey } from '../../../api/domain/verify-api-key';
import { REPO_ROOT } from '../../../runner/lib/paths';
import { MONGODB_URI } from './support';

const run = promisify(execFile);
const TSX = path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const CLI = path.join(REPO_ROOT, 'api', 'cli', 'api-key.ts');

describe('npm run api-key', () => {
  const dbName = `t_${randomUUID().slice(0, 8)}`;
  const env = { ...process.env, MONGODB_URI, MONGODB_DB: dbName };
  const cli = (...args: string[]) => run(process.execPath, [TSX, CLI, ...args], { env });
  let client: MongoClient;

  beforeAll(async () => {
    client = await MongoClient.connect(MONGODB_URI);
  });
  afterAll(async () => {
    await client.db(dbName).dropDatabase();
    await client.close();
  });

  it('creates a key whose printed token authenticates, lists it without its secret, and revokes it', async () => {
    const store = new MongoApiKeyStore(client.db(dbName));
    const created = JSON.parse((await cli('create', '--owner', 'acme', '--name', 'ci', '--json')).stdout) as {
      id: string;
      token: string;
    };
    expect(await verifyApiKey(store, created.token)).toEqual({
      kind: 'key',
      keyId: created.id,
      organisation: 'acme',
      scopes: [...SCOPES],
    });

    const listed = (await cli('list', '--owner', 'acme')).stdout;
    expect(listed).toContain(created.id);
    expect(listed).toContain('active');
    expect(listed).not.toContain(created.token.slice(-43));

    expect((await cli('revoke', created.id)).stdout).toContain(`revoked ${created.id}`);
    expect(await verifyApiKey(store, created.token)).toBeNull();
    await expect(cli('revoke', created.id)).rejects.toMatchObject({ code: 1 });
  });

  it('refuses an owner that is not a slug with exit code 2 and stores nothing', async () => {
    await expect(cli('create', '--owner', 'Not A Slug')).rejects.toMatchObject({ code: 2 });
    expect(await client.db(dbName).collection('api_keys').countDocuments({ owner: 'Not A Slug' })).toBe(0);
  });
});
