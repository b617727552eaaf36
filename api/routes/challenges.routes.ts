import { stat } from 'node:fs/promises';
import { Router } from 'express';
import { packDirectory } from '../../runner/archive';
import { AppError } from '../../runner/contract/app-error';
import {
  toSummary,
  type ChallengeCatalog,
  type LoadedChallenge,
} from '../../runner/contract/challenge-catalog';
import type { ChallengeSettingsStore } from '../data-access/challenge-settings-store';
import { methodNotAllowed } from '../middleware/error-handler';
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
 * `GET /v1/challenges`, `GET /v1/challenges/:id` (with statement, checks and whether a practice run is
 * allowed, from `settings`) and `GET /v1/challenges/:id/starter` (tar.gz of the starter folder, packed once
 * per process).
 */
export function challengesRouter(catalog: ChallengeCatalog, settings: ChallengeSettingsStore): Router {
  const router = Router();
  const starters = new Map<string, Promise<Buffer>>();

  const find = (id: string): LoadedChallenge => {
    const challenge = catalog.get(id);
    if (!challenge) throw new AppError('CHALLENGE_NOT_FOUND', `challenge ${id} does not exist`);
    return challenge;
  };

  const starterArchive = (challenge: LoadedChallenge): Promise<Buffer> => {
    const id = challenge.manifest.id;
    let packed = starters.get(id);
    if (!packed) {
      packed = (async () => {
        const isDir = await stat(challenge.starterDir).then(
          (s) => s.isDirectory(),
          () => false,
        );
        if (!isDir) throw new AppError('NOT_FOUND', `challenge ${id} has no starter`);
        return packDirectory(challenge.starterDir, { exclude: excludeFromStarter });
      })();
      packed.catch(() => starters.delete(id));
      starters.set(id, packed);
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
      const data = await starterArchive(challenge);
      // The id is a slug ([a-z0-9-]), so the quoted filename needs no escaping (RFC 6266 §4.1).
      res
        .status(200)
        .type('application/gzip')
        .set('Content-Disposition', `attachment; filename="${challenge.manifest.id}-starter.tar.gz"`)
        .send(data);
    })
    .all(methodNotAllowed('GET'));

  return router;
}
