import { createHash } from 'node:crypto';
import { failed, passed, type Verdict } from '../verdict';

/** What a stored credential value is, and whether it meets the policy. */
export interface HashAssessment {
  scheme: 'plaintext' | 'unsalted-digest' | 'bcrypt' | 'argon2' | 'scrypt' | 'unknown';
  /** Cost parameters read from the hash prefix (bcrypt `cost`; argon2 `m` KiB, `t`, `p`; scrypt `ln`). */
  params: Record<string, number | string>;
  ok: boolean;
  reason: string;
}

/**
 * Minimums of the OWASP Password Storage Cheat Sheet: bcrypt work factor ≥ 10; argon2id m ≥ 19 456 KiB with
 * t ≥ 2 (p = 1); scrypt N ≥ 2^17. The cheat sheet's equivalent settings are {@link ARGON2_EQUIVALENTS} and
 * {@link SCRYPT_EQUIVALENTS}.
 */
export const HASH_MINIMUMS = {
  bcryptCost: 10,
  argon2MemoryKiB: 19_456,
  argon2Iterations: 2,
  scryptLog2N: 17,
} as const;

/**
 * The OWASP Password Storage Cheat Sheet's argon2id settings of equal strength ("Argon2id"): memory (KiB)
 * and iterations; a hash meets the policy when it reaches both values of one pair.
 */
export const ARGON2_EQUIVALENTS: readonly (readonly [memoryKiB: number, iterations: number])[] = [
  [47_104, 1],
  [19_456, 2],
  [12_288, 3],
  [9_216, 4],
  [7_168, 5],
];

/**
 * The cheat sheet's scrypt settings of equal strength ("scrypt", all with r = 8): log2 N and p; a hash meets
 * the policy when N ≥ 2^ln and p ≥ p of one pair, with r ≥ 8.
 */
export const SCRYPT_EQUIVALENTS: readonly (readonly [log2N: number, p: number])[] = [
  [17, 1],
  [16, 2],
  [15, 3],
  [14, 5],
  [13, 10],
];

const digests = (p: string): string[] =>
  (['md5', 'sha1', 'sha256', 'sha512'] as const).flatMap((a) => {
    const h = createHash(a).update(p);
    const hex = h.copy().digest('hex');
    return [hex, hex.toUpperCase(), h.digest('base64')];
  });

/**
 * Classifies a stored value for a known password `plain`: plaintext or an unsalted MD5/SHA digest of it fails;
 * bcrypt (`$2a$`/`$2b$`/`$2y$`/`$2x$` + 2-digit cost), argon2 (PHC string `$argon2id$v=19$m=…,t=…,p=…$`)
 * and scrypt (PHC `$scrypt$ln=…,r=…,p=…`) pass when their cost meets {@link HASH_MINIMUMS} or one of its
 * equivalents ({@link ARGON2_EQUIVALENTS}, {@link SCRYPT_EQUIVALENTS}); anything else is
 * `unknown` and fails (the grader cannot tell it is a slow salted hash).
 */
export function assessPasswordHash(stored: string, plain: string): HashAssessment {
  if (stored.includes(plain))
    return { scheme: 'plaintext', params: {}, ok: false, reason: 'the password is stored in plain text' };
  if (digests(plain).some((d) => stored.includes(d)))
    return {
      scheme: 'unsalted-digest',
      params: {},
      ok: false,
      reason: 'the password is stored as an unsalted fast digest (MD5/SHA)',
    };
  const bc = /^\$2[abxy]\$(\d{2})\$[./A-Za-z0-9]{53}$/.exec(stored);
  if (bc) {
    const cost = Number(bc[1]);
    return cost >= HASH_MINIMUMS.bcryptCost
      ? { scheme: 'bcrypt', params: { cost }, ok: true, reason: `bcrypt cost ${cost}` }
      : {
          scheme: 'bcrypt',
          params: { cost },
          ok: false,
          reason: `bcrypt cost ${cost} is below ${HASH_MINIMUMS.bcryptCost}`,
        };
  }
  const ar = /^\$(argon2(?:id|i|d))\$(?:v=(\d+)\$)?m=(\d+),t=(\d+),p=(\d+)\$/.exec(stored);
  if (ar) {
    const [, variant, , m, t, p] = ar;
    const params = { variant: variant!, m: Number(m), t: Number(t), p: Number(p) };
    const ok = ARGON2_EQUIVALENTS.some(([mm, tt]) => Number(m) >= mm && Number(t) >= tt);
    return {
      scheme: 'argon2',
      params,
      ok,
      reason: ok
        ? `${variant} m=${m} t=${t}`
        : `${variant} m=${m} KiB, t=${t} is below every OWASP setting (m=${HASH_MINIMUMS.argon2MemoryKiB}, t=${HASH_MINIMUMS.argon2Iterations} or equivalent)`,
    };
  }
  const sc = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$/.exec(stored);
  if (sc) {
    const ln = Number(sc[1]);
    const ok = Number(sc[2]) >= 8 && SCRYPT_EQUIVALENTS.some(([l, p]) => ln >= l && Number(sc[3]) >= p);
    return {
      scheme: 'scrypt',
      params: { ln, r: Number(sc[2]), p: Number(sc[3]) },
      ok,
      reason: ok
        ? `scrypt N=2^${ln} r=${sc[2]} p=${sc[3]}`
        : `scrypt N=2^${ln} r=${sc[2]} p=${sc[3]} is below every OWASP setting (N=2^${HASH_MINIMUMS.scryptLog2N}, r=8, p=1 or equivalent)`,
    };
  }
  return {
    scheme: 'unknown',
    params: {},
    ok: false,
    reason: 'the stored value is not a recognised slow password hash (bcrypt, argon2, scrypt)',
  };
}

/**
 * Password storage (OWASP API2:2023; docs/grading.md S-19): `rows` are every stored text value of the user
 * the grader registered with password `plain` (e.g. all text columns of the users row, or the user document's
 * string fields). Fails when any value holds the password in plain text or as a fast digest; passes when one
 * value is a slow hash meeting {@link HASH_MINIMUMS}. `secondHash`, when given (the same password registered
 * for a second user), must differ: equal hashes mean no salt.
 */
export function passwordStorage(values: readonly string[], plain: string, secondHash?: string): Verdict {
  const assessed = values.map((v) => ({ value: `${v.slice(0, 12)}…`, ...assessPasswordHash(v, plain) }));
  const evidence = { assessed: assessed.filter((a) => a.scheme !== 'unknown' || values.length === 1) };
  const bad = assessed.find((a) => a.scheme === 'plaintext' || a.scheme === 'unsalted-digest');
  if (bad) return failed(`Passwords are not stored safely: ${bad.reason}.`, evidence, 'API2:2023');
  const hash = assessed.find((a) => a.scheme !== 'unknown');
  if (!hash)
    return failed(
      'No stored value is a recognised slow password hash (bcrypt, argon2 or scrypt).',
      evidence,
      'API2:2023',
    );
  if (!hash.ok)
    return failed(
      `Passwords are hashed too cheaply: ${hash.reason} (OWASP Password Storage Cheat Sheet).`,
      evidence,
      'API2:2023',
    );
  const idx = assessed.indexOf(hash);
  if (secondHash !== undefined && values[idx] === secondHash)
    return failed(
      'Two users with the same password have the same stored hash: the hash is not salted.',
      evidence,
      'API2:2023',
    );
  return passed(evidence, 'API2:2023');
}
