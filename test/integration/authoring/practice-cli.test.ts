/**
 * `stackgrade practice` on orders-api through the real CLI (same pod and images as grading): the report
 * lists only the manifest's practice checks, in full, unscored.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { gradeReportSchema } from '../../../runner/contract/grade-result.schema';

const ROOT = path.resolve(__dirname, '..', '..', '..');

it('stackgrade practice orders-api <starter> reports only the practice checks, in full, unscored', async () => {
  const manifest = parse(readFileSync(path.join(ROOT, 'challenges/orders-api/challenge.yaml'), 'utf8')) as {
    checks: { id: string; practice?: boolean }[];
  };
  const practiceIds = manifest.checks.filter((c) => c.practice).map((c) => c.id);
  expect(practiceIds.length).toBeGreaterThan(0);
  const { stdout } = await promisify(execFile)(
    'npx',
    [
      'tsx',
      'runner/cli/main.ts',
      'practice',
      'challenges/orders-api',
      'challenges/orders-api/starter',
      '--json',
    ],
    { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn' }, maxBuffer: 64 * 1024 * 1024 },
  );
  const report = gradeReportSchema.parse(JSON.parse(stdout));
  expect(report.mode).toBe('practice');
  expect(report.tests.map((t) => t.id)).toEqual(practiceIds);
  expect(report.tests.every((t) => t.visibility === 'full')).toBe(true);
  expect(report.scores).toEqual({ overall: 0, categories: {} });
  // c-health passes on the starter: the run really graded the service.
  expect(report.tests.find((t) => t.id === 'c-health')?.status).toBe('pass');
});
