'use strict';
// Password hashing with argon2id at the OWASP Password Storage Cheat Sheet's parameters (m = 19 MiB, t = 2,
// p = 1), and the password policy of NIST SP 800-63B §5.1.1.2: at least 8 characters, at most 128, not in
// the breached-password list, no composition rules.
const fs = require('node:fs');
const path = require('node:path');
const argon2 = require('argon2');
const { invalid } = require('./errors');

const HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };

const BREACHED = new Set(
  fs
    .readFileSync(path.join(__dirname, '..', 'data', 'breached-passwords.txt'), 'utf8')
    .split('\n')
    .map((l) => l.trim().toLowerCase())
    .filter(Boolean),
);

function checkPolicy(password, field = 'password') {
  if (typeof password !== 'string') throw invalid(`${field} must be a string.`);
  const length = [...password].length;
  if (length < 8) throw invalid(`${field} must be at least 8 characters long.`);
  if (length > 128) throw invalid(`${field} must be at most 128 characters long.`);
  if (BREACHED.has(password.toLowerCase())) throw invalid(`${field} is in a list of breached passwords.`);
}

const hashPassword = (password) => argon2.hash(password, HASH_OPTIONS);

// A hash of a random secret: verified against when the e-mail is unknown, so that a login costs the same
// whether or not the account exists.
let dummyHash = null;
async function prepareDummyHash() {
  dummyHash = await hashPassword(require('node:crypto').randomBytes(16).toString('hex'));
}

async function verifyPassword(hash, password) {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

async function verifyAgainstNothing(password) {
  await verifyPassword(dummyHash, password);
  return false;
}

module.exports = { checkPolicy, hashPassword, verifyPassword, verifyAgainstNothing, prepareDummyHash };
