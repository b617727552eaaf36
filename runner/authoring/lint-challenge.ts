import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CATEGORIES } from '../contract/categories';
import { MANIFEST_FILE } from '../contract/challenge-catalog';
import {
  challengeManifestSchema,
  checkSchema,
  limitsSchema,
  serviceSchema,
  type ChallengeManifest,
} from '../contract/challenge-manifest.schema';
import { expectedFailuresSchema } from '../grading/validate-challenge';
import { RUNTIME_MARKERS } from '../contract/runtime-selection';
import { findNondeterminism } from './seed-determinism';

/** How bad a lint finding is: an `error` fails `challenge lint` (exit 1); a `warning` is printed only. */
export type LintSeverity = 'error' | 'warning';

/** Rules of {@link lintChallenge}; each finding names one, so tests and authors can tell them apart. */
export const LINT_RULES = [
  'manifest-missing',
  'manifest-yaml',
  'manifest-modeline',
  'manifest-schema',
  'manifest-unknown-key',
  'manifest-id-folder',
  'check-title',
  'check-category',
  'check-duplicate',
  'check-undeclared',
  'check-unimplemented',
  'category-weight',
  'weights-sum',
  'practice-none',
  'readme-missing',
  'readme-section',
  'layout-missing',
  'seed-nondeterministic',
  'wrong-expected',
] as const;
export type LintRule = (typeof LINT_RULES)[number];

/** One problem `challenge lint` found; `where` is a path relative to the challenge folder. */
export interface LintFinding {
  rule: LintRule;
  severity: LintSeverity;
  where: string;
  message: string;
}

/**
 * Sections every statement (README.md) has, as `##` headings: what runs where, the interface to build and
 * how it is graded (the author's guide, docs/authoring.md, "The statement").
 */
export const README_SECTIONS = ['Runtime', 'Endpoints', 'How it is graded'] as const;

/** Sum the category weights should have, so each weight reads as a percentage of the overall score. */
export const CATEGORY_WEIGHT_TOTAL = 100;

/** Files a challenge package must hold (design of `challenges/<id>/`, README.md "Layout"). */
export const REQUIRED_PATHS = ['hidden-tests/index.ts'];

/**
 * Solution folders that must hold the build manifest of one of the challenge's runtimes
 * (`RUNTIME_MARKERS`: package.json, requirements.txt or pyproject.toml, go.mod).
 */
export const SOLUTION_DIRS = ['reference', 'starter'];

/** Matches `defineCheck('<id>'` in a hidden-tests file: how the SDK declares a check (grader/check.ts). */
const DEFINE_CHECK = /defineCheck\(\s*(['"`])([a-z][a-z0-9-]*)\1/g;

/**
 * Statically checks a challenge package before anything is built or graded: the manifest (YAML, the
 * `yaml-language-server` schema line, the zod schema, unknown keys, id = folder name), every check's title
 * and category, check ids declared in challenge.yaml against those defined with `defineCheck` in
 * hidden-tests/, category weights, the statement's sections, the package layout, the seed SQL (no volatile
 * functions; see {@link findNondeterminism}) and every `wrong/<name>/expected.json`. Never throws for a
 * problem of the package: each is a finding.
 *
 * @param challengeDir - the challenge folder (`<root>/<id>`).
 * @returns the findings, errors first; empty when the package is clean.
 */
export async function lintChallenge(challengeDir: string): Promise<LintFinding[]> {
  const dir = path.resolve(challengeDir);
  const out: LintFinding[] = [];
  const add = (rule: LintRule, severity: LintSeverity, where: string, message: string): void => {
    out.push({ rule, severity, where, message });
  };

  const manifest = await lintManifest(dir, add);
  if (manifest) await lintCheckIds(dir, manifest, add);
  await lintReadme(dir, add);
  for (const p of REQUIRED_PATHS)
    if (!(await exists(path.join(dir, p)))) add('layout-missing', 'error', p, `${p} is missing`);
  if (manifest) {
    await lintSolutionMarkers(dir, manifest, add);
    for (const svc of manifest.services) if (svc.image) await lintSeed(dir, svc.image, add);
    await lintWrong(dir, manifest, add);
  }
  return out.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}

type Add = (rule: LintRule, severity: LintSeverity, where: string, message: string) => void;

async function lintSolutionMarkers(dir: string, manifest: ChallengeManifest, add: Add): Promise<void> {
  const markers = manifest.runtimes.flatMap((r) => RUNTIME_MARKERS[r]);
  for (const s of SOLUTION_DIRS) {
    const found = await Promise.all(markers.map((m) => exists(path.join(dir, s, m))));
    if (!found.some(Boolean))
      add(
        'layout-missing',
        'error',
        `${s}/`,
        `${s}/ has none of ${markers.join(', ')} (the build manifest of its runtime)`,
      );
  }
}

async function lintManifest(dir: string, add: Add): Promise<ChallengeManifest | null> {
  const text = await readFile(path.join(dir, MANIFEST_FILE), 'utf8').catch(() => null);
  if (text === null) {
    add('manifest-missing', 'error', MANIFEST_FILE, `${MANIFEST_FILE} is missing`);
    return null;
  }
  if (!/^# yaml-language-server: \$schema=\S+/.test(text.split('\n')[0] ?? ''))
    add(
      'manifest-modeline',
      'warning',
      MANIFEST_FILE,
      'the first line is not "# yaml-language-server: $schema=<path to challenge-manifest.schema.json>"',
    );
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    add('manifest-yaml', 'error', MANIFEST_FILE, `not valid YAML: ${(err as Error).message}`);
    return null;
  }
  if (!isRecord(raw)) {
    add('manifest-yaml', 'error', MANIFEST_FILE, 'the manifest is not a YAML mapping');
    return null;
  }
  unknownKeys(raw, Object.keys(challengeManifestSchema.shape), '', add);
  if (isRecord(raw.limits)) unknownKeys(raw.limits, Object.keys(limitsSchema.shape), 'limits.', add);
  if (Array.isArray(raw.services))
    raw.services.forEach((s, i) => {
      if (!isRecord(s)) return;
      // Keys are judged against the schema of the service's own kind; an unknown kind is the schema's error.
      const option = serviceSchema.options.find((o) => o.shape.kind.value === s.kind);
      if (option) unknownKeys(s, Object.keys(option.shape), `services[${i}].`, add);
    });
  const checks = Array.isArray(raw.checks) ? raw.checks : [];
  const seen = new Set<string>();
  checks.forEach((c, i) => {
    if (!isRecord(c)) return;
    const name = typeof c.id === 'string' ? c.id : `checks[${i}]`;
    unknownKeys(c, Object.keys(checkSchema.shape), `checks[${i}].`, add);
    if (typeof c.title !== 'string' || c.title.trim() === '')
      add('check-title', 'error', MANIFEST_FILE, `check ${name} has no title`);
    if (!(CATEGORIES as readonly unknown[]).includes(c.category))
      add(
        'check-category',
        'error',
        MANIFEST_FILE,
        `check ${name} has ${c.category === undefined ? 'no category' : `category ${String(c.category)}`}; one of ${CATEGORIES.join(', ')}`,
      );
    if (typeof c.id === 'string') {
      if (seen.has(c.id))
        add('check-duplicate', 'error', MANIFEST_FILE, `check id ${c.id} is declared twice`);
      seen.add(c.id);
    }
  });
  if (isRecord(raw.categories)) {
    const weights = raw.categories;
    for (const cat of CATEGORIES) {
      const w = typeof weights[cat] === 'number' ? weights[cat] : 0;
      const has = checks.some((c) => isRecord(c) && c.category === cat);
      if (has && w <= 0)
        add('category-weight', 'error', MANIFEST_FILE, `category ${cat} has checks but weight ${w}`);
      if (!has && w > 0)
        add('category-weight', 'error', MANIFEST_FILE, `category ${cat} has weight ${w} but no checks`);
    }
    const total = CATEGORIES.reduce((s, c) => s + (typeof weights[c] === 'number' ? weights[c] : 0), 0);
    if (total !== CATEGORY_WEIGHT_TOTAL)
      add(
        'weights-sum',
        'warning',
        MANIFEST_FILE,
        `category weights sum to ${total}, not ${CATEGORY_WEIGHT_TOTAL}: they no longer read as percentages`,
      );
  }
  const parsed = challengeManifestSchema.safeParse(raw);
  if (!parsed.success) {
    // Issues the rules above already explain are not repeated.
    const explained = /title|category|duplicate check id|has checks but no weight|has weight but no checks/;
    for (const issue of parsed.error.issues) {
      const at = issue.path.join('.');
      if (explained.test(`${at} ${issue.message}`)) continue;
      add('manifest-schema', 'error', MANIFEST_FILE, `${at || '(root)'}: ${issue.message}`);
    }
    return null;
  }
  if (parsed.data.id !== path.basename(dir))
    add(
      'manifest-id-folder',
      'error',
      MANIFEST_FILE,
      `id "${parsed.data.id}" differs from the folder name "${path.basename(dir)}" (the catalog refuses it)`,
    );
  if (!parsed.data.checks.some((c) => c.practice))
    add(
      'practice-none',
      'warning',
      MANIFEST_FILE,
      'no check is marked practice: true, so candidates cannot practise (stackgrade practice)',
    );
  return parsed.data;
}

function unknownKeys(obj: Record<string, unknown>, known: string[], prefix: string, add: Add): void {
  for (const k of Object.keys(obj))
    if (!known.includes(k))
      add(
        'manifest-unknown-key',
        'error',
        MANIFEST_FILE,
        `unknown key ${prefix}${k} (known: ${known.join(', ')})`,
      );
}

async function lintCheckIds(dir: string, manifest: ChallengeManifest, add: Add): Promise<void> {
  const files = await listFiles(path.join(dir, 'hidden-tests')).catch(() => [] as string[]);
  const defined = new Map<string, string>();
  for (const f of files.filter((x) => /\.(ts|js|mts|mjs)$/.test(x))) {
    const text = await readFile(f, 'utf8');
    for (const m of text.matchAll(DEFINE_CHECK)) defined.set(m[2]!, path.relative(dir, f));
  }
  if (!files.length) return; // layout-missing reports the folder
  const declared = new Set(manifest.checks.map((c) => c.id));
  for (const id of declared)
    if (!defined.has(id))
      add(
        'check-unimplemented',
        'error',
        'hidden-tests/',
        `check ${id} is declared in ${MANIFEST_FILE} but no hidden test defines it (defineCheck('${id}', …))`,
      );
  for (const [id, file] of defined)
    if (!declared.has(id))
      add(
        'check-undeclared',
        'error',
        file,
        `check ${id} is defined here but not declared in ${MANIFEST_FILE}`,
      );
}

async function lintReadme(dir: string, add: Add): Promise<void> {
  const text = await readFile(path.join(dir, 'README.md'), 'utf8').catch(() => null);
  if (text === null) {
    add('readme-missing', 'error', 'README.md', 'README.md (the statement candidates read) is missing');
    return;
  }
  if (!/^# \S/m.test(text))
    add('readme-section', 'error', 'README.md', 'the statement has no "# <title>" heading');
  const headings = new Set([...text.matchAll(/^##\s+(.+?)\s*$/gm)].map((m) => m[1]!.toLowerCase()));
  for (const s of README_SECTIONS)
    if (!headings.has(s.toLowerCase()))
      add('readme-section', 'error', 'README.md', `the statement has no "## ${s}" section`);
}

async function lintSeed(dir: string, imageDir: string, add: Add): Promise<void> {
  const db = path.join(dir, imageDir);
  if (!(await exists(path.join(db, 'Dockerfile')))) {
    add(
      'layout-missing',
      'error',
      `${imageDir}/Dockerfile`,
      `${imageDir}/Dockerfile (the database recipe) is missing`,
    );
    return;
  }
  const files = (await listFiles(db)).filter((f) => f.endsWith('.sql'));
  for (const f of files) {
    for (const p of findNondeterminism(await readFile(f, 'utf8')))
      add('seed-nondeterministic', 'error', `${path.relative(dir, f)}:${p.line}`, p.message);
  }
}

async function lintWrong(dir: string, manifest: ChallengeManifest, add: Add): Promise<void> {
  const wrong = path.join(dir, 'wrong');
  const entries = await readdir(wrong, { withFileTypes: true }).catch(() => []);
  const ids = new Set(manifest.checks.map((c) => c.id));
  for (const e of entries.filter((x) => x.isDirectory())) {
    const where = `wrong/${e.name}/expected.json`;
    const text = await readFile(path.join(wrong, e.name, 'expected.json'), 'utf8').catch(() => null);
    if (text === null) {
      add('wrong-expected', 'error', where, 'missing: it names the checks this solution must fail');
      continue;
    }
    let parsed;
    try {
      parsed = expectedFailuresSchema.safeParse(JSON.parse(text));
    } catch (err) {
      add('wrong-expected', 'error', where, `not JSON: ${(err as Error).message}`);
      continue;
    }
    if (!parsed.success) {
      add(
        'wrong-expected',
        'error',
        where,
        'must be {"defect": "<what is wrong>", "fails": ["<check id>", …]}',
      );
      continue;
    }
    for (const id of parsed.data.fails.filter((x) => !ids.has(x)))
      add('wrong-expected', 'error', where, `names check ${id}, which ${MANIFEST_FILE} does not declare`);
  }
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}
