import type { SubmissionFiles } from '../archive';
import { applyEdits, type Mutant } from './mutant';
import { eachCall, type SourceCall } from './source-calls';
import { lineOf, withFile } from './source-mutants';

/**
 * Library calls that verify a secret, and what a call is replaced by so that it always succeeds. Each entry
 * keeps the call's return type so the code around it runs on:
 * - argon2 `verify(hash, password)` → Promise<boolean> (npm argon2); bcrypt/bcryptjs `compare` →
 *   Promise<boolean>, `compareSync` → boolean;
 * - node:crypto `timingSafeEqual(a, b)` → boolean and `verify(alg, data, key, signature)` → boolean
 *   (Node.js crypto docs);
 * - jsonwebtoken `verify(token, key, options)` → the payload: `decode(token)` returns it unverified;
 * - jose `jwtVerify(token, key, options)` → Promise<{ payload, protectedHeader }>: `decodeJwt` and
 *   `decodeProtectedHeader` return them unverified.
 */
function alwaysSucceeds(c: SourceCall): string | null {
  const token = c.call.arguments[0]?.getText(c.sf);
  switch (`${c.module}:${c.name}`) {
    case 'argon2:verify':
    case 'bcrypt:compare':
    case 'bcryptjs:compare':
      return 'Promise.resolve(true)';
    case 'bcrypt:compareSync':
    case 'bcryptjs:compareSync':
    case 'crypto:timingSafeEqual':
    case 'crypto:verify':
      return 'true';
    case 'jsonwebtoken:verify':
      if (!token || c.call.arguments.some((a) => /=>|function/.test(a.getText(c.sf)))) return null;
      return c.receiver
        ? `${c.receiver.getText(c.sf)}.decode(${token})`
        : `require('jsonwebtoken').decode(${token})`;
    case 'jose:jwtVerify':
      if (!token) return null;
      return `import('jose').then((j) => ({ payload: j.decodeJwt(${token}), protectedHeader: j.decodeProtectedHeader(${token}) }))`;
    default:
      return null;
  }
}

/**
 * One mutant per call that verifies a password hash, a signature or a token (see {@link alwaysSucceeds}):
 * the call is replaced by its success value, so whatever was presented is accepted (OWASP API2:2023 Broken
 * Authentication). Calls are found through the file's imports, so `argon2.verify` and `jwt.verify` are told
 * apart; code without such a call has no mutant of this kind.
 */
export function verificationMutants(files: SubmissionFiles): Mutant[] {
  const out: Mutant[] = [];
  eachCall(files, (c) => {
    const replacement = alwaysSucceeds(c);
    if (replacement === null) return;
    const at = c.call.getStart(c.sf);
    const where = `${c.file}:${lineOf(c.sf, at)}`;
    out.push({
      id: `remove-verification-call:${where}`,
      kind: 'remove-verification-call',
      description: `${where}: ${c.module} ${c.name}() is not called; it always succeeds.`,
      files: withFile(files, c.file, applyEdits(c.text, [{ start: at, end: c.call.getEnd(), replacement }])),
    });
  });
  return out;
}
