import type { RuntimeId } from '../../runner/contract/runtime-selection';
import express, { Router, type RequestHandler } from 'express';
import type { ArchiveInput } from '../../runner/archive';
import { AppError } from '../../runner/contract/app-error';
import type { ChallengeSettingsStore } from '../data-access/challenge-settings-store';
import type { Assessments } from '../domain/assessments';
import {
  getSubmission,
  submissionPath,
  toSubmissionAccepted,
  type GetSubmissionDeps,
} from '../domain/get-submission';
import { listSubmissions } from '../domain/list-submissions';
import { submitSolution, type SubmitSolutionDeps } from '../domain/submit-solution';
import { principalOf } from '../middleware/authenticate';
import { methodNotAllowed } from '../middleware/error-handler';
import { JUNIT_CONTENT_TYPE, reportToJunit } from '../../runner/contract/junit-report';
import { parseOrThrow } from '../schemas/parse';
import {
  rawUploadQuerySchema,
  submissionCreateSchema,
  submissionListQuerySchema,
  submissionGetQuerySchema,
  UPLOAD_MEDIA_TYPES,
  type SubmissionCreate,
  type SubmissionMode,
} from '../schemas/submission.schema';

/** JSON bodies carry base64 (4/3) or escaped text: they may be this much larger than the upload limit. */
export const JSON_BODY_OVERHEAD = 1.4;

/** The media type of a request without parameters, lower-cased ('' when absent). */
function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The `charset` parameter of a Content-Type, lower-cased without quotes (undefined when absent). */
function charsetOf(header: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(header ?? '');
  return match?.[1]?.toLowerCase();
}

/**
 * Rejects a body whose media type `POST /v1/submissions` does not accept, before reading it; a JSON body
 * must be UTF-8 (RFC 8259 §8.1: JSON exchanged between systems MUST be UTF-8), so any other charset is 415
 * (body-parser would otherwise decode UTF-16/32 and answer 400 for the garbled text).
 */
const requireUploadMediaType: RequestHandler = (req, _res, next) => {
  const type = mediaType(req.get('content-type'));
  if (!Object.hasOwn(UPLOAD_MEDIA_TYPES, type)) {
    const accepted = Object.keys(UPLOAD_MEDIA_TYPES).join(', ');
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Type must be one of ${accepted}; got ${type || 'none'}`,
    );
  }
  const charset = charsetOf(req.get('content-type'));
  if (
    UPLOAD_MEDIA_TYPES[type] === 'json' &&
    charset !== undefined &&
    charset !== 'utf-8' &&
    charset !== 'utf8'
  ) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `a JSON body must be UTF-8; got charset=${charset}`);
  }
  next();
};

function uploadFromJson(body: SubmissionCreate): ArchiveInput {
  if (body.files) return { format: 'files', files: body.files };
  if (body.archive) return { format: body.archive.format, data: Buffer.from(body.archive.base64, 'base64') };
  throw new AppError('VALIDATION_FAILED', 'one of files or archive is required');
}

/**
 * `POST /v1/submissions` (JSON or raw archive body → 202 with `Location`), `GET /v1/submissions` (the
 * organisation's results list, see {@link listSubmissions}) and `GET /v1/submissions/:id` (`?view=owner`
 * with the organisation's API key for the full report; see {@link getSubmission}), and
 * `GET /v1/submissions/:id/report.xml` (that full report as JUnit XML, see reportToJunit). A
 * submission with a candidate's session token counts for their assessment (challenge in the assessment,
 * before the deadline, within the attempts); one without is an open submission, accepted only where the
 * challenge's organisation allows open submissions. `mode: practice` runs only the practice checks,
 * unscored, within a per-client budget (see {@link submitSolution}).
 */
export interface SubmissionsRouterDeps extends SubmitSolutionDeps, GetSubmissionDeps {
  assessments: Assessments;
  challengeSettings: ChallengeSettingsStore;
}

export function submissionsRouter(deps: SubmissionsRouterDeps): Router {
  const router = Router();
  const json = express.json({
    type: 'application/json',
    limit: Math.ceil(deps.maxUploadBytes * JSON_BODY_OVERHEAD),
  });
  const raw = express.raw({
    type: Object.keys(UPLOAD_MEDIA_TYPES).filter((t) => UPLOAD_MEDIA_TYPES[t] !== 'json'),
    limit: deps.maxUploadBytes,
    inflate: false,
  });

  router
    .route('/v1/submissions')
    .post(requireUploadMediaType, json, raw, async (req, res) => {
      const format = UPLOAD_MEDIA_TYPES[mediaType(req.get('content-type'))];
      let challengeId: string;
      let runtime: RuntimeId | undefined;
      let upload: ArchiveInput;
      let mode: SubmissionMode | undefined;
      if (format === 'json') {
        const body = parseOrThrow(submissionCreateSchema, req.body, 'the request body');
        challengeId = body.challenge_id;
        runtime = body.runtime;
        mode = body.mode;
        upload = uploadFromJson(body);
      } else if (format === 'tar.gz' || format === 'zip') {
        const query = parseOrThrow(rawUploadQuerySchema, req.query, 'the query');
        challengeId = query.challenge_id;
        runtime = query.runtime;
        mode = query.mode;
        const data: unknown = req.body;
        if (!Buffer.isBuffer(data) || data.length === 0) {
          throw new AppError('ARCHIVE_INVALID', 'the request body is empty; send the archive bytes');
        }
        upload = { format, data };
      } else {
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'unsupported Content-Type');
      }
      const principal = principalOf(res);
      const client =
        principal?.kind === 'key' ? principal.keyId : (principal?.inviteId ?? req.ip ?? 'unknown');
      const common = {
        challengeId,
        upload,
        ...(runtime ? { runtime } : {}),
        ...(mode ? { mode } : {}),
        client,
      };
      let doc;
      if (principal?.kind === 'candidate') {
        const admit = await deps.assessments.admission(principal.inviteId, challengeId);
        doc = await submitSolution(deps, {
          ...common,
          admit,
          assessment: {
            organisation: principal.organisation,
            assessment_id: principal.assessmentId,
            invite_id: principal.inviteId,
          },
        });
      } else {
        if (
          deps.catalog.get(challengeId) &&
          !(await deps.challengeSettings.openSubmissionsAllowed(challengeId))
        ) {
          throw new AppError(
            'OPEN_SUBMISSIONS_CLOSED',
            `challenge ${challengeId} accepts submissions only within an assessment`,
          );
        }
        // Past the practice budget: RATE_LIMITED, whose Retry-After the error handler writes.
        doc = await submitSolution(deps, common);
      }
      const body = toSubmissionAccepted(doc);
      res.status(202).location(submissionPath(doc._id)).json(body);
    })
    .get(async (req, res) => {
      const { challenge_id } = parseOrThrow(submissionListQuerySchema, req.query, 'the query');
      const data = await listSubmissions(deps, principalOf(res), challenge_id);
      res.set('Cache-Control', 'no-store').json({ data });
    })
    .all(methodNotAllowed('POST', 'GET'));

  router
    .route('/v1/submissions/:id')
    .get(async (req, res) => {
      const { view } = parseOrThrow(submissionGetQuerySchema, req.query, 'the query');
      res.json(await getSubmission(deps, req.params.id, view, principalOf(res)));
    })
    .all(methodNotAllowed('GET'));

  // The owner's full report as JUnit XML (CI servers, applicant-tracking systems): same access as view=owner.
  router
    .route('/v1/submissions/:id/report.xml')
    .get(async (req, res) => {
      const view = await getSubmission(deps, req.params.id, 'owner', principalOf(res));
      if (!view.report)
        throw new AppError(
          'REPORT_NOT_READY',
          `submission ${view.id} is ${view.status}; its report is made once it is graded`,
        );
      res
        .type(JUNIT_CONTENT_TYPE)
        .set('Content-Disposition', `attachment; filename="submission-${view.id}-report.xml"`)
        .send(reportToJunit(view.report, { submissionId: view.id }));
    })
    .all(methodNotAllowed('GET'));

  return router;
}
