import express, { Router } from 'express';
import type { InviteStore } from '../data-access/invite-store';
import type { SubmissionReader } from '../data-access/submission-reader';
import { buildResults } from '../domain/assessment-results';
import { CSV_CONTENT_TYPE, resultsCsv } from '../domain/results-csv';
import { assessmentPath, toAssessmentView, toInviteView, type Assessments } from '../domain/assessments';
import { requireKey } from '../middleware/authenticate';
import { methodNotAllowed } from '../middleware/error-handler';
import { assessmentCreateSchema, inviteCreateSchema } from '../schemas/assessment.schema';
import { parseOrThrow } from '../schemas/parse';

/** What {@link assessmentsRouter} needs. */
export interface AssessmentsRouterDeps {
  assessments: Assessments;
  invites: InviteStore;
  submissions: SubmissionReader;
}

/**
 * The owner routes of assessments, scoped to the API key's organisation (another organisation's assessment is
 * 404): `POST|GET /v1/assessments`, `GET /v1/assessments/:id`, `POST|GET /v1/assessments/:id/invites`,
 * `GET /v1/assessments/:id/results` (JSON) and `/results.csv` (text/csv, RFC 4180).
 */
export function assessmentsRouter(deps: AssessmentsRouterDeps): Router {
  const router = Router();
  const json = express.json({ limit: '256kb' });

  router
    .route('/v1/assessments')
    .post(json, async (req, res) => {
      const key = requireKey(res, 'assessments:write');
      const body = parseOrThrow(assessmentCreateSchema, req.body, 'the request body');
      const doc = await deps.assessments.create(key.organisation, body);
      res.status(201).location(assessmentPath(doc._id)).json(toAssessmentView(doc));
    })
    .get(async (_req, res) => {
      const key = requireKey(res, 'assessments:read');
      res.json({ data: (await deps.assessments.list(key.organisation)).map(toAssessmentView) });
    })
    .all(methodNotAllowed('GET', 'POST'));

  router
    .route('/v1/assessments/:id')
    .get(async (req, res) => {
      const key = requireKey(res, 'assessments:read');
      res.json(toAssessmentView(await deps.assessments.get(key.organisation, req.params.id)));
    })
    .all(methodNotAllowed('GET'));

  router
    .route('/v1/assessments/:id/invites')
    .post(json, async (req, res) => {
      const key = requireKey(res, 'assessments:write');
      const body = parseOrThrow(inviteCreateSchema, req.body, 'the request body');
      const created = await deps.assessments.invite(key.organisation, req.params.id, body);
      res.status(201).set('Cache-Control', 'no-store').json({ data: created });
    })
    .get(async (req, res) => {
      const key = requireKey(res, 'assessments:read');
      const a = await deps.assessments.get(key.organisation, req.params.id);
      const invites = await deps.invites.listForAssessment(key.organisation, a._id);
      res.json({ data: invites.map(toInviteView) });
    })
    .all(methodNotAllowed('GET', 'POST'));

  const results = async (organisation: string, id: string) => {
    const a = await deps.assessments.get(organisation, id);
    const [invites, subs] = await Promise.all([
      deps.invites.listForAssessment(organisation, a._id),
      deps.submissions.listForAssessment(organisation, a._id),
    ]);
    return buildResults(a, invites, subs, new Date());
  };

  router
    .route('/v1/assessments/:id/results')
    .get(async (req, res) => {
      const key = requireKey(res, 'results:read');
      res.json({ data: await results(key.organisation, req.params.id) });
    })
    .all(methodNotAllowed('GET'));

  router
    .route('/v1/assessments/:id/results.csv')
    .get(async (req, res) => {
      const key = requireKey(res, 'results:read');
      const csv = resultsCsv(await results(key.organisation, req.params.id));
      res
        .type(CSV_CONTENT_TYPE)
        .set('Content-Disposition', `attachment; filename="assessment-${req.params.id}-results.csv"`)
        .send(csv);
    })
    .all(methodNotAllowed('GET'));

  return router;
}
