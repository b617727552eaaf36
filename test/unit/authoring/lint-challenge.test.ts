import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { lintChallenge, type LintRule } from '../../../runner/authoring/lint-challenge';

const MODELINE = '# yaml-language-server: $schema=../../runner/contract/challenge-manifest.schema.json\n';

/** A small, clean challenge package: lint finds nothing in it. */
function cleanPackage(): Record<string, string> {
  const manifest = {
    id: 'notes-lint',
    version: 1,
    title: 'Notes',
    summary: 'A notes service.',
    runtimes: ['node22'],
    services: [
      { kind: 'postgres', name: 'db', image: 'db', port: 5432, database: 'notes', candidate_role: 'app' },
    ],
    limits: { wall_ms: 60000, memory_mb: 256, cpus: 1, pids: 128, tmpfs_mb: 16, startup_ms: 15000 },
    categories: { correctness: 60, api_design: 0, query_optimization: 20, security: 20, performance: 0 },
    validate: { starter_max_score: 40 },
    checks: [
      { id: 'c-health', title: 'GET /health answers', category: 'correctness', weight: 1, practice: true },
      { id: 'q-list', title: 'One statement per list', category: 'query_optimization', weight: 1 },
      { id: 's-leak', title: 'No stack traces', category: 'security', weight: 1 },
    ],
  };
  return {
    'challenge.yaml': MODELINE + stringify(manifest),
    'README.md':
      '# Notes\n\n## Runtime\n\nNode.js 22.\n\n## Endpoints\n\n- GET /notes\n\n## How it is graded\n\nHidden checks.\n',
    'hidden-tests/index.ts': [
      "import { defineCheck, runSuite } from '../../../grader';",
      'const checks = [',
      "  defineCheck('c-health', async () => undefined),",
      '  defineCheck("q-list", async () => undefined),',
      "  defineCheck('s-leak', async () => undefined),",
      '];',
      "void runSuite({ healthPath: '/health', checks });",
      '',
    ].join('\n'),
    'db/Dockerfile': 'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\n',
    'db/schema.sql':
      'CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());\n' +
      "INSERT INTO notes (body, created_at) SELECT 'note ' || g, timestamptz '2026-01-01' + g * interval '1 hour' FROM generate_series(1, 5) g; -- not random()\n",
    'reference/package.json': '{"name":"r","scripts":{"start":"node server.js"}}\n',
    'starter/package.json': '{"name":"s","scripts":{"start":"node server.js"}}\n',
    'wrong/leaky/expected.json': '{"defect":"stack traces in errors","fails":["s-leak"]}\n',
    'wrong/leaky/defect.patch': '',
  };
}

type Edit = (files: Record<string, string>) => void;
/** The parsed manifest as a test edits it (any shape, so a test can plant any mistake). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type RawManifest = Record<string, any>;

/** Rewrites the manifest through a function of its parsed YAML. */
const manifestEdit =
  (f: (m: RawManifest) => void): Edit =>
  (files) => {
    const m = parse(files['challenge.yaml']!) as RawManifest;
    f(m);
    files['challenge.yaml'] = MODELINE + stringify(m);
  };

const PLANTED: [string, LintRule, Edit][] = [
  ['no manifest', 'manifest-missing', (f) => delete f['challenge.yaml']],
  ['manifest is not YAML', 'manifest-yaml', (f) => (f['challenge.yaml'] = MODELINE + 'id: [unclosed\n')],
  [
    'no $schema line',
    'manifest-modeline',
    (f) => (f['challenge.yaml'] = f['challenge.yaml']!.slice(MODELINE.length)),
  ],
  ['limits missing', 'manifest-schema', manifestEdit((m) => delete m.limits)],
  ['wall_ms too small', 'manifest-schema', manifestEdit((m) => (m.limits.wall_ms = 10))],
  ['misspelt check key', 'manifest-unknown-key', manifestEdit((m) => (m.checks[1].visiblity = 'full'))],
  ['misspelt top-level key', 'manifest-unknown-key', manifestEdit((m) => (m.performance_refrence = true))],
  ['id differs from folder', 'manifest-id-folder', manifestEdit((m) => (m.id = 'other-id'))],
  ['check without title', 'check-title', manifestEdit((m) => delete m.checks[1].title)],
  ['check with empty title', 'check-title', manifestEdit((m) => (m.checks[1].title = ' '))],
  ['check without category', 'check-category', manifestEdit((m) => delete m.checks[2].category)],
  ['check with unknown category', 'check-category', manifestEdit((m) => (m.checks[2].category = 'style'))],
  ['duplicate check id', 'check-duplicate', manifestEdit((m) => (m.checks[2].id = 'q-list'))],
  [
    'declared check not implemented',
    'check-unimplemented',
    manifestEdit((m) => m.checks.push({ id: 'c-extra', title: 'x', category: 'correctness', weight: 1 })),
  ],
  [
    'implemented check not declared',
    'check-undeclared',
    (f) =>
      (f['hidden-tests/index.ts'] += "export const x = defineCheck('c-ghost', async () => undefined);\n"),
  ],
  ['category with checks but no weight', 'category-weight', manifestEdit((m) => (m.categories.security = 0))],
  [
    'category with weight but no checks',
    'category-weight',
    manifestEdit((m) => (m.categories.performance = 10)),
  ],
  ['category weights do not sum to 100', 'weights-sum', manifestEdit((m) => (m.categories.correctness = 50))],
  ['no practice check', 'practice-none', manifestEdit((m) => delete m.checks[0].practice)],
  ['no README', 'readme-missing', (f) => delete f['README.md']],
  [
    'README without grading section',
    'readme-section',
    (f) => (f['README.md'] = f['README.md']!.replace('## How it is graded', '## Grading')),
  ],
  ['no hidden tests', 'layout-missing', (f) => delete f['hidden-tests/index.ts']],
  ['no reference', 'layout-missing', (f) => delete f['reference/package.json']],
  ['no database recipe', 'layout-missing', (f) => delete f['db/Dockerfile']],
  [
    'seed uses random()',
    'seed-nondeterministic',
    (f) =>
      (f['db/schema.sql'] +=
        'INSERT INTO notes (body) SELECT md5(random()::text) FROM generate_series(1, 3);\n'),
  ],
  [
    'seed inserts now()',
    'seed-nondeterministic',
    (f) => (f['db/schema.sql'] += "INSERT INTO notes (body, created_at) VALUES ('x', now());\n"),
  ],
  [
    'expected.json names an unknown check',
    'wrong-expected',
    (f) => (f['wrong/leaky/expected.json'] = '{"defect":"d","fails":["s-nope"]}'),
  ],
  [
    'expected.json without fails',
    'wrong-expected',
    (f) => (f['wrong/leaky/expected.json'] = '{"defect":"d"}'),
  ],
];

describe('challenge lint', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'sg-lint-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  async function writePackage(files: Record<string, string>): Promise<string> {
    const dir = path.join(await mkdtemp(path.join(root, 'c-')), 'notes-lint');
    for (const [rel, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await writeFile(path.join(dir, rel), text);
    }
    await mkdir(dir, { recursive: true });
    return dir;
  }

  it('finds nothing in a clean package', async () => {
    expect(await lintChallenge(await writePackage(cleanPackage()))).toEqual([]);
  });

  it.each(PLANTED)('finds the planted mistake: %s (%s)', async (_name, rule, edit) => {
    const files = cleanPackage();
    edit(files);
    const findings = await lintChallenge(await writePackage(files));
    expect(findings.map((f) => f.rule)).toContain(rule);
    const severity = ['manifest-modeline', 'weights-sum', 'practice-none'].includes(rule)
      ? 'warning'
      : 'error';
    expect(findings.find((f) => f.rule === rule)?.severity).toBe(severity);
  });

  it('accepts a seed that calls setseed() before random() and volatile column defaults', async () => {
    const files = cleanPackage();
    files['db/schema.sql'] +=
      "SELECT setseed(0.42);\nINSERT INTO notes (body, created_at) SELECT md5(random()::text), timestamptz '2026-01-01' FROM generate_series(1, 3);\n";
    expect(await lintChallenge(await writePackage(files))).toEqual([]);
  });

  it('passes orders-api (its seed is deterministic, every check is declared and defined)', async () => {
    const dir = path.resolve(__dirname, '..', '..', '..', 'challenges', 'orders-api');
    const findings = await lintChallenge(dir);
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(await readFile(path.join(dir, 'challenge.yaml'), 'utf8')).toMatch(/^# yaml-language-server/);
  });
});
