import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AppError } from './app-error';
import { challengeManifestSchema, type ChallengeManifest } from './challenge-manifest.schema';

/** The repository's own `challenges/` folder: the default root of {@link ChallengeCatalog.load}. */
export const DEFAULT_CHALLENGES_DIR = path.resolve(__dirname, '..', '..', 'challenges');

/** File name of a challenge manifest inside `<root>/<id>/`. */
export const MANIFEST_FILE = 'challenge.yaml';

/** What a challenge list shows: the manifest's public header fields. */
export interface ChallengeSummary {
  id: string;
  version: number;
  title: string;
  summary: string;
  /** The candidate runtimes the challenge accepts. */
  runtimes: ChallengeManifest['runtimes'];
  /** Category → weight of the overall score (the manifest's `categories`). */
  categories: ChallengeManifest['categories'];
}

/** A challenge package on disk with its validated manifest; every path is absolute. */
export interface LoadedChallenge {
  manifest: ChallengeManifest;
  /** `<root>/<id>`. */
  dir: string;
  /** `<dir>/README.md`: the statement the candidate reads (markdown). */
  statementPath: string;
  /** `<dir>/starter`: what the candidate downloads. */
  starterDir: string;
  /** `<dir>/reference`: the full solution. */
  referenceDir: string;
}

/**
 * Every challenge package under one root folder, each `<root>/<id>/challenge.yaml` validated with
 * {@link challengeManifestSchema}. Loaded once by {@link ChallengeCatalog.load}, then read-only; shared by
 * the API and the runner.
 */
export class ChallengeCatalog {
  private readonly byId: ReadonlyMap<string, LoadedChallenge>;

  private constructor(
    /** Absolute root folder the catalog was loaded from. */
    readonly root: string,
    challenges: readonly LoadedChallenge[],
  ) {
    const sorted = [...challenges].sort((a, b) => (a.manifest.id < b.manifest.id ? -1 : 1));
    this.byId = new Map(sorted.map((c) => [c.manifest.id, c]));
  }

  /**
   * Loads every `<root>/<id>/challenge.yaml`; sub-folders without a manifest (and dot-folders) are skipped.
   * A `<root>/<id>` that is a symbolic link to a folder counts as that folder (its real path is the
   * challenge's `dir`, so the package's own relative paths, such as its hidden tests' imports, still hold).
   *
   * @param root - folder holding one sub-folder per challenge; defaults to {@link DEFAULT_CHALLENGES_DIR}.
   * @throws AppError `MANIFEST_INVALID` when the root cannot be read, a manifest is not YAML, fails the
   *   schema (the message names the file and lists the zod issues, which are also in `details`), or its
   *   `id` differs from its folder name.
   */
  static async load(root: string = DEFAULT_CHALLENGES_DIR): Promise<ChallengeCatalog> {
    const absRoot = path.resolve(root);
    let entries;
    try {
      entries = await readdir(absRoot, { withFileTypes: true });
    } catch (cause) {
      throw new AppError('MANIFEST_INVALID', `cannot read challenges folder ${absRoot}`, { cause });
    }
    const challenges: LoadedChallenge[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      let dir = path.join(absRoot, entry.name);
      if (entry.isSymbolicLink()) {
        const target = await realpath(dir).catch(() => null);
        if (!target || !(await stat(target)).isDirectory()) continue;
        dir = target;
      } else if (!entry.isDirectory()) continue;
      const manifestPath = path.join(dir, MANIFEST_FILE);
      if (!(await isFile(manifestPath))) continue;
      const manifest = await readManifest(manifestPath);
      if (manifest.id !== entry.name) {
        throw new AppError(
          'MANIFEST_INVALID',
          `${manifestPath}: id "${manifest.id}" does not match its folder name "${entry.name}"`,
        );
      }
      challenges.push({
        manifest,
        dir,
        statementPath: path.join(dir, 'README.md'),
        starterDir: path.join(dir, 'starter'),
        referenceDir: path.join(dir, 'reference'),
      });
    }
    return new ChallengeCatalog(absRoot, challenges);
  }

  /** Summaries of every challenge, sorted by id. */
  list(): ChallengeSummary[] {
    return [...this.byId.values()].map((c) => toSummary(c.manifest));
  }

  /** The challenge with this id, or undefined. */
  get(id: string): LoadedChallenge | undefined {
    return this.byId.get(id);
  }

  /**
   * The challenge's statement (README.md, UTF-8 markdown).
   *
   * @throws AppError `CHALLENGE_NOT_FOUND` for an unknown id; `MANIFEST_INVALID` when README.md is missing.
   */
  async readStatement(id: string): Promise<string> {
    const challenge = this.byId.get(id);
    if (!challenge) throw new AppError('CHALLENGE_NOT_FOUND', `challenge ${id} does not exist`);
    try {
      return await readFile(challenge.statementPath, 'utf8');
    } catch (cause) {
      throw new AppError('MANIFEST_INVALID', `challenge ${id} has no readable ${challenge.statementPath}`, {
        cause,
      });
    }
  }
}

/** The public header fields of a manifest. */
export function toSummary(m: ChallengeManifest): ChallengeSummary {
  return {
    id: m.id,
    version: m.version,
    title: m.title,
    summary: m.summary,
    runtimes: m.runtimes,
    categories: m.categories,
  };
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

async function readManifest(manifestPath: string): Promise<ChallengeManifest> {
  let raw: unknown;
  try {
    raw = parseYaml(await readFile(manifestPath, 'utf8'));
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new AppError('MANIFEST_INVALID', `${manifestPath}: not valid YAML: ${why}`, { cause });
  }
  const parsed = challengeManifestSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('MANIFEST_INVALID', `${manifestPath}: ${z.prettifyError(parsed.error)}`, {
      details: parsed.error.issues,
      cause: parsed.error,
    });
  }
  return parsed.data;
}
