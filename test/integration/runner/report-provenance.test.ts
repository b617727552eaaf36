/**
 * Reproducibility through the real runner: one grading of attack-lab's reference (a real pod) gives a report
 * that records what made it (every container's image id, the grader seed, the challenge's hashes, versions)
 * and is signed with the installation's key; `stackgrade report verify` accepts it, says everything needed
 * to regrade it is here, and refuses it once tampered. Its JUnit export is valid against the schema.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { loadRunnerConfig } from '../../../runner/config';
import type { GradeReport } from '../../../runner/contract/grade-result.schema';
import { reportToJunit } from '../../../runner/contract/junit-report';
import { readSolutionDir } from '../../../runner/grading/grade-submission';
import { GradingEnvironment } from '../../../runner/grading/grading-environment';
import { challengeFingerprint, hashTree } from '../../../runner/grading/provenance';
import { logger } from '../../../runner/lib/logger';
import { verifyReport } from '../../../runner/signing/report-signature';
import { validateJunit } from '../../support/junit-schema';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..', '..');
const CHALLENGES_DIR = path.resolve(__dirname, '..', '..', 'attacks', 'challenge');
const LAB = path.join(CHALLENGES_DIR, 'attack-lab');
const docker = new Docker();
let env: GradingEnvironment;
let tmp: string;
let keyFile: string;
let report: GradeReport;

/** Runs the CLI; resolves with its exit code and output (never rejects on a non-zero exit). */
async function cli(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', 'runner/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, SIGNING_KEY_FILE: keyFile, CHALLENGES_DIR, LOG_LEVEL: 'warn' },
    });
    return { code: 0, out: r.stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: `${e.stdout}${e.stderr}` };
  }
}

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'sg-provenance-'));
  keyFile = path.join(tmp, 'signing.pem');
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  await fs.writeFile(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  env = await GradingEnvironment.create(
    loadRunnerConfig({
      ...process.env,
      CHALLENGES_DIR,
      SIGNING_KEY_FILE: keyFile,
      WORKER_ID: `test-provenance-${crypto.randomUUID().slice(0, 8)}`,
    }),
    logger.child({}, { level: 'warn' }),
  );
  report = await env.grade('attack-lab', {
    files: await readSolutionDir(path.join(LAB, 'reference')),
    submissionId: crypto.randomUUID(),
    attempt: 1,
  });
});

afterAll(async () => {
  await env?.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('report provenance and signature (attack-lab, real pod)', () => {
  it('records every container of the pod with the id of its image, the seed, hashes and versions', async () => {
    expect(report.status).toBe('pass');
    const p = report.provenance!;
    expect(p.stackgrade_version).toBe(
      (JSON.parse(await fs.readFile(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
    );
    expect(p.grader_seed).toEqual(expect.any(Number));
    expect(p.challenge).toEqual(await challengeFingerprint(env.challenge('attack-lab')));
    expect(p.challenge.hidden_tests_sha256).toBe(await hashTree(path.join(LAB, 'hidden-tests')));
    expect(p.solution_sha256).toBe(await hashTree(path.join(LAB, 'reference')));
    const roles = p.containers.map((c) => c.role);
    expect(roles).toEqual(expect.arrayContaining(['network-owner', 'candidate', 'grader']));
    expect(roles.some((r) => r.startsWith('service:'))).toBe(true);
    for (const c of p.containers) {
      expect(c.image_id).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect((await docker.getImage(c.image).inspect()).Id).toBe(c.image_id);
    }
    expect(p.containers.find((c) => c.role === 'grader')!.image).toBe(
      env.images.challenges.get('attack-lab')!.grader,
    );
    expect(p.runtime_versions.node22).toBe(report.runtime!.version);
    // Which runner, on which host and engine, made it.
    expect(p.runner).toEqual({
      worker_id: env.ctx.config.WORKER_ID,
      hostname: os.hostname(),
      engine_id: ((await docker.info()) as { ID: string }).ID,
    });
  });

  it('is signed with the installation key and verifies; its JUnit export is valid', async () => {
    expect(verifyReport(report, [env.signingKey.publicKey])).toEqual({
      ok: true,
      keyId: env.signingKey.keyId,
    });
    const junit = reportToJunit(report);
    expect((await validateJunit(junit)).errors).toEqual([]);
    expect(junit).toContain(`name="stackgrade.grader_seed" value="${report.provenance!.grader_seed}"`);
  });

  it('`stackgrade report verify` accepts it and finds all it needs; a tampered copy fails', async () => {
    const file = path.join(tmp, 'report.json');
    await fs.writeFile(file, JSON.stringify(report, null, 2));
    const ok = await cli(['report', 'verify', file]);
    expect(ok.out).toContain('signature VALID');
    expect(ok.out).toContain('Everything needed to regrade it identically is here');
    expect(ok.out).toContain(`--seed ${report.provenance!.grader_seed}`);
    expect(ok.code).toBe(0);

    const pub = path.join(tmp, 'public.pem');
    await fs.writeFile(pub, env.signingKey.publicKey.export({ type: 'spki', format: 'pem' }));
    const bad = path.join(tmp, 'tampered.json');
    await fs.writeFile(bad, JSON.stringify({ ...report, scores: { ...report.scores, overall: 42 } }));
    const refused = await cli(['report', 'verify', bad, '--public-key', pub, '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.out)).toMatchObject({ signature: { ok: false, problem: 'bad_signature' } });
  });
});
