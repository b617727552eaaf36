/**
 * The web app's HTTP client: JSON requests to the API on this origin, errors as RFC 9457 problems.
 * Report, submission and assessment types are the API's own (type-only imports, erased when bundled).
 */
import type { GradeReport, ReportTest } from '../../../runner/contract/grade-result.schema';
import type { GradingProgress } from '../../../runner/contract/grading-progress';
import type {
  AssessmentView,
  CandidateResult,
  InvitePreview,
  SessionView as CandidateSessionView,
} from '../../../api/schemas/assessment.schema';
import type { FeedbackTier } from '../../../api/data-access/assessment-store';

export type { GradeReport, ReportTest, GradingProgress };

/** `GET /v1/submissions/:id` body. */
export interface SubmissionView {
  id: string;
  view: 'candidate' | 'owner';
  challenge_id: string;
  status: 'queued' | 'running' | 'completed' | 'error';
  created_at: string;
  updated_at: string;
  report: GradeReport | null;
  error: { code: string; message: string } | null;
  /** An assessment submission's candidate view: what its feedback tier shows. */
  feedback?: FeedbackTier;
  /** At tier `scores` or `checks`: the scores, null until graded. */
  scores?: GradeReport['scores'] | null;
}

export type { FeedbackTier, InvitePreview, CandidateSessionView, AssessmentView, CandidateResult };

/** A challenge in the catalog (`GET /v1/challenges`). */
export interface ChallengeSummary {
  id: string;
  title: string;
  summary: string;
  version: number;
  /** Candidate runtimes the challenge accepts (`node22`, `python3`, `go`). */
  runtimes: string[];
  links: { self: string; starter: string };
}

/** `GET /v1/challenges/:id` body. */
export interface ChallengeDetail extends ChallengeSummary {
  statement: string;
  /** The starter of each runtime the challenge has one for (absent where the page was built otherwise). */
  starters?: { runtime: string; href: string }[];
  checks: { id: string; title: string; category: string; weight: number; practice: boolean }[];
  /** A practice run would be accepted: the challenge has practice checks and takes open submissions. */
  practice_allowed: boolean;
}

/** A row of `GET /v1/submissions` (the reviewer's results list). */
export interface SubmissionRow {
  id: string;
  challenge_id: string;
  status: SubmissionView['status'];
  created_at: string;
  overall: number | null;
  categories: Record<string, number>;
  failed_checks: number | null;
}

/** `GET /v1/reviewer-session` body. */
export interface ReviewerSessionView {
  csrf_token: string;
  reviewer: { organisation: string; key_id: string; scopes: string[] } | null;
}

/** An API error: the problem's `detail` as message, its `code` and HTTP status. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
  }
}

/**
 * Sends a request to the API and parses its JSON body.
 *
 * @throws ApiError with the problem's detail for any non-2xx answer, or a network failure (status 0).
 */
export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { credentials: 'same-origin', ...init });
  } catch {
    throw new ApiError('The server could not be reached; check your connection and retry.', 0, 'NETWORK');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) {
    const p = (body ?? {}) as { detail?: string; code?: string };
    throw new ApiError(p.detail ?? `The server answered ${res.status}.`, res.status, p.code ?? 'UNKNOWN');
  }
  return body as T;
}
