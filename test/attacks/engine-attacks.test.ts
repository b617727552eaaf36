/**
 * Engine attacks: a hostile candidate of the three-engines test challenge (PostgreSQL + Redis + MongoDB by
 * FerretDB, test/integration/engines/challenge) tries, from its own service, every Redis admin command, the
 * twins, other MongoDB databases, users and roles, server-side JavaScript and FerretDB's PostgreSQL store on
 * its port; it reports each outcome through GET /reach, which the s-isolation check reads. Asserted: a
 * verdict, every attempt denied in the check's evidence, the engines still serving after the attempts, and
 * nothing of the run left behind (docs/engines.md, "What the engine attacks show").
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';
import { packFiles, readArchive, type SubmissionFiles } from '../../runner/archive';
import { loadRunnerConfig } from '../../runner/config';
import { gradeReportSchema, type GradeReport } from '../../runner/contract/grade-result.schema';
import { GradingEnvironment } from '../../runner/grading/grading-environment';
import { logger } from '../../runner/lib/logger';
import { LABELS } from '../../runner/sandbox/labels';

const CHALLENGES_DIR = path.resolve(__dirname, '..', 'integration', 'engines', 'challenge');
const SUBMISSION_DIR = path.join(__dirname, 'engine-submissions', 'engine-admin');
let env: GradingEnvironment;
let report: GradeReport;
let submissionId: string;
let ms = 0;

/** Reads the submission through the upload path (packed as tar.gz, read back with readArchive). */
async function load(): Promise<SubmissionFiles> {
  const files = new Map<string, Buffer>();
  for (const f of await fs.readdir(SUBMISSION_DIR))
    files.set(f, await fs.readFile(path.join(SUBMISSION_DIR, f)));
  return readArchive({ format: 'tar.gz', data: await packFiles(files) });
}

beforeAll(async () => {
  env = await GradingEnvironment.create(
    loadRunnerConfig({ ...process.env, CHALLENGES_DIR }),
    logger.child({}, { level: process.env.ATTACK_LOG_LEVEL ?? 'fatal' }),
  );
  submissionId = `${crypto.randomBytes(4).toString('hex')}-attack-engine-admin`;
  const t0 = Date.now();
  report = gradeReportSchema.parse(
    await env.grade('three-engines', { files: await load(), submissionId, attempt: 1 }),
  );
  ms = Date.now() - t0;
  await env.settleRemovals();
});

afterAll(async () => {
  if (report)
    console.log(
      `engine-admin: ${report.runtime?.id ?? '-'} ${report.status}/${report.reason ?? '-'} score ${report.scores.overall} (${ms} ms)`,
    );
  await env?.close();
});

const reach = (): Record<string, unknown> =>
  (report.tests.find((t) => t.id === 's-isolation')?.evidence as { reach?: Record<string, unknown> })
    ?.reach ?? {};

describe('engine attacks (Redis and MongoDB by FerretDB)', () => {
  it('gets a verdict: graded to the end, every check run', () => {
    if (report.status !== 'pass')
      console.error(report.reason, report.message, report.tests, report.service_log?.slice(-2000));
    expect(report.reason).toBeNull();
    expect(report.tests.map((t) => t.id)).toContain('s-isolation');
  });

  it('redis: every admin command (CONFIG, DEBUG, MONITOR, SHUTDOWN, MODULE, ACL, REPLICAOF, CLIENT KILL, SAVE, BGSAVE, BGREWRITEAOF) and the twin are denied', () => {
    const r = reach();
    const names = [
      'redis_twin',
      'redis_config_get',
      'redis_config_set',
      'redis_debug',
      'redis_monitor',
      'redis_module_load',
      'redis_acl_setuser',
      'redis_acl_list',
      'redis_replicaof',
      'redis_client_kill',
      'redis_save',
      'redis_bgsave',
      'redis_bgrewriteaof',
      'redis_shutdown',
    ];
    expect(Object.fromEntries(names.map((n) => [n, r[n]]))).toEqual(
      Object.fromEntries(names.map((n) => [n, 'denied'])),
    );
  });

  it('mongodb: the twin, admin and private databases, createUser/createRole, $where/$function/eval and the PostgreSQL store are denied', () => {
    const r = reach();
    const names = [
      'mongodb_twin',
      'mongodb_private',
      'mongodb_admin_users',
      'mongodb_admin_databases',
      'mongodb_create_user',
      'mongodb_create_role',
      'mongodb_where',
      'mongodb_function',
      'mongodb_eval',
      'mongodb_store_direct',
    ];
    expect(Object.fromEntries(names.map((n) => [n, r[n]]))).toEqual(
      Object.fromEntries(names.map((n) => [n, 'denied'])),
    );
    expect(report.tests.find((t) => t.id === 's-isolation')?.status).toBe('pass');
  });

  it('the engines still served the candidate after the attempts (no SHUTDOWN, no lost data)', () => {
    const byId = new Map(report.tests.map((t) => [t.id, t.status]));
    expect(byId.get('c-note-stored')).toBe('pass');
    expect(byId.get('c-products-seeded')).toBe('pass');
  });

  it('leaves no container of the run', async () => {
    const left = await env.ctx.docker.listContainers({
      all: true,
      filters: { label: [`${LABELS.submission}=${submissionId}`] },
    });
    expect(left.map((c) => c.Names[0])).toEqual([]);
  });
});
