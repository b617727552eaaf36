/**
 * Report signatures: Ed25519 over the RFC 8785 canonical JSON of the report. A signed report verifies with
 * its installation's public key whatever the member order, and any change to it (a score, a check, the
 * provenance, the signature) makes verification fail. The key is generated once under STACKGRADE_HOME.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { GradeReport } from '../../../runner/contract/grade-result.schema';
import { buildReport } from '../../../runner/grading/build-report';
import { keyIdOf, signReport, signedBytes, verifyReport } from '../../../runner/signing/report-signature';
import { loadSigningKey, readPublicKeys, signingKeyPath } from '../../../runner/signing/signing-key';
import { demoManifest, graderCheck as check, podOutcome as outcome } from '../../support/report-fixtures';

const manifest = demoManifest(
  [
    { id: 'c-a', title: 'A', category: 'correctness', weight: 1 },
    { id: 's-a', title: 'S', category: 'security', weight: 1 },
  ],
  { correctness: 1, api_design: 0, query_optimization: 0, security: 1, performance: 0 },
);
const report: GradeReport = {
  ...buildReport(manifest, {
    outcome: outcome([check('c-a', 'pass'), check('s-a', 'fail', { evidence: { status: 500 } })]),
    setupFailure: null,
    runtime: 'runc',
    timingsMs: {},
  }),
  provenance: {
    stackgrade_version: '0.1.0',
    node_version: 'v20.20.2',
    graded_at: '2026-12-06T00:00:00.000Z',
    grader_seed: 7,
    solution_sha256: 'e'.repeat(64),
    challenge: {
      id: 'demo',
      version: 1,
      hidden_tests_sha256: 'a'.repeat(64),
      manifest_sha256: 'b'.repeat(64),
    },
    containers: [{ role: 'grader', image: 'stackgrade/demo-grader:x', image_id: `sha256:${'c'.repeat(64)}` }],
    runtime_versions: { node22: '22.23.3' },
  },
};
const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
const signed = signReport(report, privateKey);

/** A deep copy of the signed report changed by `edit`. */
function tampered(edit: (r: GradeReport) => void): GradeReport {
  const copy = structuredClone(signed);
  edit(copy);
  return copy;
}

describe('report signatures', () => {
  it('a signed report verifies with the public key, after a JSON round trip with members reordered', () => {
    expect(signed.signature).toMatchObject({ algorithm: 'Ed25519', canonicalization: 'RFC8785' });
    expect(signed.signature!.key_id).toBe(keyIdOf(publicKey));
    expect(verifyReport(signed, [publicKey])).toEqual({ ok: true, keyId: keyIdOf(publicKey) });
    const reordered = JSON.parse(
      JSON.stringify(
        Object.fromEntries(Object.entries(JSON.parse(JSON.stringify(signed)) as object).reverse()),
      ),
    ) as GradeReport;
    expect(verifyReport(reordered, [publicKey]).ok).toBe(true);
  });

  it('signs the JSON data model: members that are undefined are left out (a store would turn them into null)', () => {
    expect(Object.hasOwn(report.tests[0]!, 'evidence')).toBe(true); // undefined in the built report
    expect(Object.hasOwn(signed.tests[0]!, 'evidence')).toBe(false);
    expect(signedBytes(signed).toString('utf8')).toMatch(
      /^\{"challenge":\{"id":"demo","version":1\},"message":/,
    );
  });

  it.each<[string, (r: GradeReport) => void]>([
    ['the overall score', (r) => (r.scores.overall = 100)],
    ['a check status', (r) => (r.tests[1]!.status = 'pass')],
    ['a check message', (r) => (r.tests[1]!.message = 'fine')],
    ['the grader seed', (r) => (r.provenance!.grader_seed = 8)],
    ['an image id', (r) => (r.provenance!.containers[0]!.image_id = `sha256:${'d'.repeat(64)}`)],
    ['an added member', (r) => Object.assign(r, { note: 'hired' })],
    [
      'the signature value',
      (r) =>
        (r.signature!.value = `${r.signature!.value.startsWith('A') ? 'B' : 'A'}${r.signature!.value.slice(1)}`),
    ],
  ])('changing %s makes verification fail', (_what, edit) => {
    const check = verifyReport(tampered(edit), [publicKey]);
    expect(check).toMatchObject({ ok: false, problem: 'bad_signature' });
  });

  it('an unsigned report, or one signed by another key, does not verify', () => {
    expect(verifyReport(report, [publicKey])).toMatchObject({ ok: false, problem: 'unsigned' });
    const other = crypto.generateKeyPairSync('ed25519');
    expect(verifyReport(signed, [other.publicKey])).toMatchObject({ ok: false, problem: 'unknown_key' });
    // Even with the key id forged to the trusted key's, another key's signature fails.
    const byOther = signReport(report, other.privateKey).signature!;
    const forged = { ...signed, signature: { ...byOther, key_id: signed.signature!.key_id } };
    expect(verifyReport(forged, [publicKey])).toMatchObject({ ok: false, problem: 'bad_signature' });
  });
});

describe('the installation signing key', () => {
  let home: string;
  beforeEach(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'sg-key-'));
  });
  afterEach(async () => {
    await fs.rm(home, { recursive: true, force: true });
  });

  it('is generated once under STACKGRADE_HOME (mode 0600) and read back the same', async () => {
    const first = await loadSigningKey({ STACKGRADE_HOME: home });
    expect(first.file).toBe(path.join(home, 'keys', 'report-signing-key.pem'));
    expect((await fs.stat(first.file)).mode & 0o777).toBe(0o600);
    expect((await fs.stat(path.dirname(first.file))).mode & 0o777).toBe(0o700);
    const again = await Promise.all([1, 2, 3].map(() => loadSigningKey({ STACKGRADE_HOME: home })));
    expect(new Set(again.map((k) => k.keyId))).toEqual(new Set([first.keyId]));
    expect(verifyReport(signReport(report, first.privateKey), [again[0]!.publicKey]).ok).toBe(true);
  });

  it('SIGNING_KEY_FILE must exist and hold an Ed25519 key', async () => {
    const file = path.join(home, 'mine.pem');
    await expect(loadSigningKey({ STACKGRADE_HOME: home, SIGNING_KEY_FILE: file })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
    const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
    await fs.writeFile(file, rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await expect(loadSigningKey({ STACKGRADE_HOME: home, SIGNING_KEY_FILE: file })).rejects.toThrow(
      /Ed25519/,
    );
    await fs.writeFile(file, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const k = await loadSigningKey({ STACKGRADE_HOME: home, SIGNING_KEY_FILE: file });
    expect(k.keyId).toBe(keyIdOf(publicKey));
    expect(signingKeyPath({ STACKGRADE_HOME: home, SIGNING_KEY_FILE: file })).toBe(file);
  });

  it('public keys are read from a PEM file or from the JSON of GET /v1/signing-key', async () => {
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await fs.writeFile(path.join(home, 'key.pem'), pem);
    await fs.writeFile(
      path.join(home, 'keys.json'),
      JSON.stringify({ keys: [{ key_id: 'x', public_key_pem: pem }] }),
    );
    for (const f of ['key.pem', 'keys.json'])
      expect((await readPublicKeys(path.join(home, f))).map(keyIdOf)).toEqual([keyIdOf(publicKey)]);
    await fs.writeFile(path.join(home, 'junk'), 'not a key');
    await expect(readPublicKeys(path.join(home, 'junk'))).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
