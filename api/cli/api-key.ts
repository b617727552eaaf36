#!/usr/bin/env node
/**
 * `npm run api-key -- <command>`: manage the API keys of the store (MONGODB_URI, MONGODB_DB as for the API).
 *   create --owner <slug> [--name <text>] [--scopes <a,b|*>] [--json]
 *                                                    issue a key (default: every scope); its token is printed once
 *   list [--owner <slug>] [--json]                   every key: id, owner, name, created, revoked
 *   revoke <id>                                      revoke a key (exit 1 when no active key has this id)
 */
import { parseArgs } from 'node:util';
import { MongoClient } from 'mongodb';
import { isAppError } from '../../runner/contract/app-error';
import { apiEnvSchema } from '../config';
import { MongoApiKeyStore, type ApiKeyDocument } from '../data-access/api-key-store';
import { API_KEY_ID_PATTERN } from '../domain/api-key';
import { issueApiKey } from '../domain/issue-api-key';
import { parseScopeList, type Scope } from '../domain/scopes';

const USAGE = `usage:
  npm run api-key -- create --owner <slug> [--name <text>] [--scopes <a,b|*>] [--json]
  npm run api-key -- list [--owner <slug>] [--json]
  npm run api-key -- revoke <id>`;

/** The store this command line writes to: the API's own variables, with a local MONGODB_URI by default. */
const cliEnvSchema = apiEnvSchema
  .pick({ MONGODB_DB: true })
  .extend({ MONGODB_URI: apiEnvSchema.shape.MONGODB_URI.default('mongodb://127.0.0.1:27017') });

function describeKey(k: ApiKeyDocument): string {
  const state = k.revoked_at ? `revoked ${k.revoked_at.toISOString()}` : 'active';
  const scopes = (k.scopes ?? ['*']).join(',');
  return `${k._id}  ${k.owner}  ${k.created_at.toISOString()}  ${state}  ${scopes}  ${k.name}`;
}

async function run(argv: string[], store: MongoApiKeyStore): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      owner: { type: 'string' },
      name: { type: 'string' },
      scopes: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const [cmd, ...rest] = positionals;
  if (cmd === 'create' && values.owner !== undefined && rest.length === 0) {
    let scopes: Scope[];
    try {
      scopes = parseScopeList(values.scopes ?? '*');
    } catch (err) {
      console.error(err instanceof Error ? err.message : String(err));
      return 2;
    }
    const key = await issueApiKey(store, values.owner, values.name ?? 'unnamed', scopes);
    if (values.json) console.log(JSON.stringify(key));
    else {
      console.log(
        `API key ${key.id} for organisation ${key.owner} (${key.name}; ${key.scopes.join(', ')}); shown once, store it now:`,
      );
      console.log(key.token);
    }
    return 0;
  }
  if (cmd === 'list' && rest.length === 0) {
    const keys = await store.listKeys(values.owner);
    if (values.json) {
      console.log(JSON.stringify(keys.map(({ secret_sha256: _hash, ...k }) => ({ ...k, id: k._id }))));
    } else {
      for (const k of keys) console.log(describeKey(k));
      if (keys.length === 0) console.log('no API keys');
    }
    return 0;
  }
  if (cmd === 'revoke' && rest.length === 1 && API_KEY_ID_PATTERN.test(rest[0]!)) {
    const done = await store.revokeKey(rest[0]!, new Date());
    console.log(done ? `revoked ${rest[0]}` : `no active API key ${rest[0]}`);
    return done ? 0 : 1;
  }
  console.error(USAGE);
  return 2;
}

async function main(): Promise<number> {
  const env = cliEnvSchema.parse(process.env);
  const client = new MongoClient(env.MONGODB_URI, { serverSelectionTimeoutMS: 5_000 });
  try {
    return await run(process.argv.slice(2), new MongoApiKeyStore(client.db(env.MONGODB_DB)));
  } finally {
    await client.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(isAppError(err) ? `${err.code}: ${err.message}` : err);
    process.exit(isAppError(err) && err.code === 'VALIDATION_FAILED' ? 2 : 1);
  },
);
