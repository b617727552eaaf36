import { stat } from 'node:fs/promises';
import { Router } from 'express';
import { packDirectory } from '../../runner/archive';
import { AppError } from '../../runner/contract/app-error';
import {
  toSummary,
  type ChallengeCatalog,
  type LoadedChallenge,
} from '../../runner/contract/challenge-catalog';
import type { RuntimeId } from '../../runner/contract/runtime-selection';
import { startersOf, type RuntimeStarter } from '../../runner/contract/runtime-starters';
import type { ChallengeSettingsStore } from '../data-access/challenge-settings-store';
import { methodNotAllowed } from '../middleware/error-handler';
import { parseOrThrow } from '../schemas/parse';
import { starterQuerySchema } from '../schemas/challenge.schema';
import type {
  ChallengeDetailView,
  ChallengeListView,
  ChallengeSummaryView,
} from '../schemas/challenge.schema';

function challengePath(id: string): string {
  return `/v1/challenges/${encodeURIComponent(id)}`;
}

function toSummaryView(challenge: LoadedChallenge): ChallengeSummaryView {
  const id = challenge.manifest.id;
  return {
    ...toSummary(challenge.manifest),
    links: { self: challengePath(id), starter: `${challengePath(id)}/starter` },
  };
}

/** Folders never shipped in a starter download (build output of a local try-out, VCS metadata). */
function excludeFromStarter(rel: string): boolean {
  const top = rel.split('/')[0];
  return top === 'node_modules' || top === '.git';
}

/**
 * `GET /v1/challenges`, `GET /v1/challenges/:id` (with statement, checks, the starter of each runtime and
 * whether a practice run is allowed, from `settings`) and `GET /v1/challenges/:id/starter[?runtime=]`
 * (tar.gz of `starter/`, or of the starter written for `runtime`: runner/contract/runtime-starters.ts;
 * each packed once per process).
 */
export function challengesRouter(catalog: ChallengeCatalog, settings: ChallengeSettingsStore): Router {
  const router = Router();
  const starters = new Map<string, Promise<Buffer>>();

  const find = (id: string): LoadedChallenge => {
    const challenge = catalog.get(id);
    if (!challenge) throw new AppError('CHALLENGE_NOT_FOUND', `challenge ${id} does not exist`);
    return challenge;
  };

  const startersFor = (challenge: LoadedChallenge): Promise<RuntimeStarter[]> =>
    startersOf(challenge.dir, challenge.manifest.runtimes).catch(() => []);

  /**
   * The folder of the starter for `runtime`, or `starter/` when none is named (whatever runtime it is
   * written for); 404 when the challenge has no such starter.
   */
  const starterDirFor = async (challenge: LoadedChallenge, runtime?: RuntimeId): Promise<string> => {
    const id = challenge.manifest.id;
    if (!runtime) {
      const isDir = await stat(challenge.starterDir).then(
        (s) => s.isDirectory(),
        () => false,
      );
      if (!isDir) throw new AppError('NOT_FOUND', `challenge ${id} has no starter`);
      return challenge.starterDir;
    }
    const all = await startersFor(challenge);
    const found = all.find((s) => s.runtime === runtime);
    if (found) return found.dir;
    throw new AppError(
      'NOT_FOUND',
      `challenge ${id} has no starter for the runtime ${runtime}; it has one for ${all.map((s) => s.runtime).join(', ') || 'none'}`,
    );
  };

  const starterArchive = (dir: string): Promise<Buffer> => {
    let packed = starters.get(dir);
    if (!packed) {
      packed = packDirectory(dir, { exclude: excludeFromStarter });
      packed.catch(() => starters.delete(dir));
      starters.set(dir, packed);
    }
    return packed;
  };

  router
    .route('/v1/challenges')
    .get((_req, res) => {
      const ids = catalog.list().map((s) => s.id);
      const body: ChallengeListView = { data: ids.map((id) => toSummaryView(find(id))) };
      res.json(body);
    })
    .all(methodNotAllowed('GET'));

  router
    .route('/v1/challenges/:id')
    .get(async (req, res) => {
      const challenge = find(req.params.id);
      const body: ChallengeDetailView = {
        ...toSummaryView(challenge),
        statement: await catalog.readStatement(challenge.manifest.id),
        starters: (await startersFor(challenge)).map((st) => ({
          runtime: st.runtime,
          href: `${challengePath(challenge.manifest.id)}/starter?runtime=${st.runtime}`,
        })),
        checks: challenge.manifest.checks.map((c) => ({
          id: c.id,
          title: c.title,
          category: c.category,
          weight: c.weight,
          practice: c.practice,
        })),
        practice_allowed:
          challenge.manifest.checks.some((c) => c.practice) &&
          (await settings.openSubmissionsAllowed(challenge.manifest.id)),
      };
      res.json(body);
    })
    .all(methodNotAllowed('GET'));

  router
    .route('/v1/challenges/:id/starter')
    .get(async (req, res) => {
      const challenge = find(req.params.id);
      const { runtime } = parseOrThrow(starterQuerySchema, req.query, 'the query');
      const data = await starterArchive(await starterDirFor(challenge, runtime));
      const name = `${challenge.manifest.id}-starter${runtime ? `-${runtime}` : ''}.tar.gz`;
      // The id and runtime are slugs ([a-z0-9-]), so the quoted filename needs no escaping (RFC 6266 §4.1).
      res
        .status(200)
        .type('application/gzip')
        .set('Content-Disposition', `attachment; filename="${name}"`)
        .send(data);
    })
    .all(methodNotAllowed('GET'));

  return router;
}
