import express, { Router } from 'express';
import { AppError } from '../../runner/contract/app-error';
import type { ChallengeCatalog } from '../../runner/contract/challenge-catalog';
import type { ChallengeSettingsStore } from '../data-access/challenge-settings-store';
import { principalOf, requireKey } from '../middleware/authenticate';
import { methodNotAllowed } from '../middleware/error-handler';
import { challengeSettingsSchema } from '../schemas/assessment.schema';
import { parseOrThrow } from '../schemas/parse';

/**
 * `GET /v1/organisation` (the API key's organisation, key id and scopes; any scope) and
 * `GET|PUT /v1/challenges/:id/settings` (scope `challenges:write` to change; a challenge of another
 * organisation is 404).
 */
export function organisationRouter(catalog: ChallengeCatalog, settings: ChallengeSettingsStore): Router {
  const router = Router();

  router
    .route('/v1/organisation')
    .get((_req, res) => {
      const p = principalOf(res);
      if (!p || p.kind !== 'key')
        throw new AppError('UNAUTHENTICATED', "this route needs an organisation's API key");
      res.json({ id: p.organisation, key: { id: p.keyId, scopes: p.scopes } });
    })
    .all(methodNotAllowed('GET'));

  const owned = (organisation: string, id: string): string => {
    const challenge = catalog.get(id);
    if (!challenge || challenge.manifest.owner !== organisation) {
      throw new AppError('CHALLENGE_NOT_FOUND', `challenge ${id} does not exist`);
    }
    return challenge.manifest.id;
  };

  router
    .route('/v1/challenges/:id/settings')
    .get(async (req, res) => {
      const key = requireKey(res, 'challenges:write');
      const id = owned(key.organisation, req.params.id);
      res.json({ open_submissions: await settings.openSubmissionsAllowed(id) });
    })
    .put(express.json({ limit: '16kb' }), async (req, res) => {
      const key = requireKey(res, 'challenges:write');
      const id = owned(key.organisation, req.params.id);
      const body = parseOrThrow(challengeSettingsSchema, req.body, 'the request body');
      await settings.put({
        _id: id,
        organisation: key.organisation,
        open_submissions: body.open_submissions,
        updated_at: new Date(),
      });
      res.json(body);
    })
    .all(methodNotAllowed('GET', 'PUT'));

  return router;
}
