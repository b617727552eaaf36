/**
 * What `stackgrade report verify` says a regrade needs: the challenge's version and hashes compared with a
 * local catalog, the Stackgrade version, images (unknown without Docker); reports read from a file or from an
 * API submission view.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { ChallengeCatalog } from '../../../runner/contract/challenge-catalog';
import type { GradeReport } from '../../../runner/contract/grade-result.schema';
import { buildReport } from '../../../runner/grading/build-report';
import { challengeFingerprint, stackgradeVersion } from '../../../runner/grading/provenance';
import { checkRegrade, formatRegradeCheck, parseReportJson } from '../../../runner/signing/regrade-check';
import { signReport } from '../../../runner/signing/report-signature';

const CHALLENGES = path.resolve(__dirname, '..', '..', 'attacks', 'challenge');
const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');

async function labReport(edit: (r: GradeReport) => void = () => undefined): Promise<{
  report: GradeReport;
  catalog: ChallengeCatalog;
}> {
  const catalog = await ChallengeCatalog.load(CHALLENGES);
  const lab = catalog.get('attack-lab')!;
  const report: GradeReport = {
    ...buildReport(lab.manifest, { outcome: null, setupFailure: null, runtime: 'runc', timingsMs: {} }),
    runtime: { id: 'node22', version: '22.23.3' },
    provenance: {
      stackgrade_version: await stackgradeVersion(),
      node_version: process.version,
      graded_at: new Date().toISOString(),
      grader_seed: 99,
      solution_sha256: '0'.repeat(64),
      challenge: await challengeFingerprint(lab),
      containers: [
        { role: 'grader', image: 'stackgrade/attack-lab-grader:x', image_id: `sha256:${'f'.repeat(64)}` },
      ],
      runtime_versions: { node22: '22.23.3' },
    },
  };
  edit(report);
  return { report: signReport(report, privateKey), catalog };
}

describe('checkRegrade', () => {
  it('with the same challenge and version, needs only what it cannot check (no Docker here) and gives the command', async () => {
    const { report, catalog } = await labReport();
    const r = await checkRegrade(report, { publicKeys: [publicKey], catalog, docker: null });
    expect(r.signature.ok).toBe(true);
    expect(r.challenge).toMatchObject({
      found: true,
      version_matches: true,
      hidden_tests_match: true,
      manifest_matches: true,
    });
    expect(r.images).toEqual([expect.objectContaining({ role: 'grader', present: null })]);
    expect(r.needs).toEqual(['a Docker engine to look the images up in']);
    expect(r.regrade_command).toBe(
      'stackgrade grade <challenge-dir> <solution-dir> --runtime node22 --seed 99',
    );
    expect(formatRegradeCheck(r, 'r.json')).toContain('hidden tests identical');
  });

  it('names changed hidden tests, another version, another Stackgrade and a missing challenge', async () => {
    const { report, catalog } = await labReport((r) => {
      r.provenance!.challenge.hidden_tests_sha256 = 'a'.repeat(64);
      r.provenance!.challenge.version = 7;
      r.provenance!.stackgrade_version = '9.9.9';
    });
    const r = await checkRegrade(report, { publicKeys: [publicKey], catalog, docker: null });
    expect(r.reproducible).toBe(false);
    const needs = r.needs.join('\n');
    expect(needs).toContain('Stackgrade 9.9.9');
    expect(needs).toContain('challenge attack-lab v7 (here v1)');
    expect(needs).toContain(`the hidden tests of attack-lab with SHA-256 ${'a'.repeat(64)}`);
    expect(formatRegradeCheck(r, 'r.json')).toContain('hidden tests DIFFERENT');
    const none = await checkRegrade(report, { publicKeys: [], catalog: null, docker: null });
    expect(none.signature).toMatchObject({ ok: false, problem: 'unknown_key' });
    expect(none.needs.join('\n')).toContain('not in the local catalog');
  });

  it('reads a report or an API submission view; refuses other JSON', async () => {
    const { report } = await labReport();
    expect(parseReportJson(JSON.stringify(report))).toEqual(report);
    expect(parseReportJson(JSON.stringify({ id: 's', view: 'owner', report }))).toEqual(report);
    expect(() => parseReportJson('{"report":null}')).toThrow(/not a Stackgrade report/);
    expect(() => parseReportJson('nope')).toThrow(/not JSON/);
  });
});
