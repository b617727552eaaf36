import { slugSchema } from '../../runner/contract/challenge-manifest.schema';
import { AppError } from '../../runner/contract/app-error';
import type { ApiKeyStore } from '../data-access/api-key-store';
import { generateApiKey } from './api-key';
import { SCOPES, type Scope } from './scopes';

/** A key just issued: `token` is shown once to whoever asked for it and is not recoverable afterwards. */
export interface IssuedApiKey {
  id: string;
  owner: string;
  name: string;
  scopes: Scope[];
  token: string;
  created_at: Date;
}

/**
 * Issues an API key for an organisation (a challenge manifest's `owner` slug) with the given scopes (default:
 * every scope) and stores only its hash.
 *
 * @throws AppError `VALIDATION_FAILED` for an owner that is not a slug or an empty/over-long name (> 200
 *   characters); `STORE_UNAVAILABLE` from the store.
 */
export async function issueApiKey(
  store: ApiKeyStore,
  owner: string,
  name: string,
  scopes: readonly Scope[] = SCOPES,
): Promise<IssuedApiKey> {
  if (!slugSchema.safeParse(owner).success) {
    throw new AppError(
      'VALIDATION_FAILED',
      `owner must be lower-case letters, digits and dashes; got ${owner}`,
    );
  }
  if (name.trim().length === 0 || name.length > 200) {
    throw new AppError('VALIDATION_FAILED', 'name must be 1 to 200 characters');
  }
  const key = generateApiKey();
  const created_at = new Date();
  await store.insertKey({
    _id: key.id,
    owner,
    name,
    secret_sha256: key.secretSha256,
    scopes: [...scopes],
    created_at,
    revoked_at: null,
  });
  return { id: key.id, owner, name, scopes: [...scopes], token: key.token, created_at };
}
