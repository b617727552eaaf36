import crypto, { type KeyObject } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../contract/app-error';
import { keyIdOf } from './report-signature';

/** File name of the generated key under `<STACKGRADE_HOME>/keys/`. */
export const DEFAULT_SIGNING_KEY_FILE = 'report-signing-key.pem';

/** Where the installation's report-signing key lives: `SIGNING_KEY_FILE`, else under STACKGRADE_HOME. */
export function signingKeyPath(config: { STACKGRADE_HOME: string; SIGNING_KEY_FILE?: string }): string {
  return config.SIGNING_KEY_FILE ?? path.join(config.STACKGRADE_HOME, 'keys', DEFAULT_SIGNING_KEY_FILE);
}

/** The installation's report-signing key pair. */
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** See {@link keyIdOf}. */
  keyId: string;
  /** The file it was read from or generated into. */
  file: string;
}

function parseKey(pem: string, file: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = crypto.createPrivateKey(pem);
  } catch (cause) {
    throw new AppError('CONFIG_INVALID', `${file} is not a PEM private key`, { cause });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new AppError(
      'CONFIG_INVALID',
      `${file} holds a ${privateKey.asymmetricKeyType ?? 'unknown'} key; report signing needs Ed25519`,
    );
  const publicKey = crypto.createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey), file };
}

/**
 * Reads the installation's Ed25519 report-signing key (PKCS#8 PEM). When `SIGNING_KEY_FILE` is set the file
 * must exist; otherwise `<STACKGRADE_HOME>/keys/report-signing-key.pem` is generated on first use (folder
 * mode 0700, file 0600, created exclusively so concurrent processes end up with the same key).
 *
 * @throws AppError CONFIG_INVALID when the file is missing (configured), unreadable, or not an Ed25519 key.
 */
export async function loadSigningKey(config: {
  STACKGRADE_HOME: string;
  SIGNING_KEY_FILE?: string;
}): Promise<SigningKey> {
  const file = signingKeyPath(config);
  const existing = await fs.readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' && !config.SIGNING_KEY_FILE) return null;
    throw new AppError('CONFIG_INVALID', `cannot read the report-signing key ${file}: ${err.message}`, {
      cause: err,
    });
  });
  if (existing !== null) return parseKey(existing, file);
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    await fs.writeFile(file, pem, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    // Another process generated it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST')
      return parseKey(await fs.readFile(file, 'utf8'), file);
    throw new AppError('CONFIG_INVALID', `cannot write the report-signing key ${file}: ${String(err)}`, {
      cause: err,
    });
  }
  return parseKey(pem, file);
}

/**
 * The public half of the installation's key when its file exists (never generates one: for verifiers).
 * Throws AppError CONFIG_INVALID when the file exists but is not an Ed25519 private key.
 */
export async function installationPublicKey(config: {
  STACKGRADE_HOME: string;
  SIGNING_KEY_FILE?: string;
}): Promise<KeyObject | null> {
  const file = signingKeyPath(config);
  const pem = await fs.readFile(file, 'utf8').catch(() => null);
  return pem === null ? null : parseKey(pem, file).publicKey;
}

/**
 * Reads trusted public keys from a file: a PEM public key (SPKI) or private key, or the JSON document of
 * `GET /v1/signing-key` (`{ keys: [{ public_key_pem }] }`). Throws AppError CONFIG_INVALID when it holds none.
 */
export async function readPublicKeys(file: string): Promise<KeyObject[]> {
  const text = await fs.readFile(file, 'utf8').catch((err: unknown) => {
    throw new AppError('CONFIG_INVALID', `cannot read ${file}: ${String(err)}`, { cause: err });
  });
  const pems: string[] = [];
  if (text.trimStart().startsWith('{')) {
    const doc = JSON.parse(text) as { keys?: { public_key_pem?: unknown }[] };
    for (const k of doc.keys ?? []) if (typeof k.public_key_pem === 'string') pems.push(k.public_key_pem);
  } else pems.push(text);
  const keys: KeyObject[] = [];
  for (const pem of pems) {
    try {
      keys.push(crypto.createPublicKey(pem));
    } catch {
      // not a key: reported below when none is left
    }
  }
  const ed = keys.filter((k) => k.asymmetricKeyType === 'ed25519');
  if (!ed.length) throw new AppError('CONFIG_INVALID', `${file} holds no Ed25519 public key`);
  return ed;
}
