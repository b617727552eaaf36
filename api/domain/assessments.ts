import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { AppError } from '../../runner/contract/app-error';
import type { ChallengeCatalog } from '../../runner/contract/challenge-catalog';
import type { AssessmentDocument, AssessmentStore } from '../data-access/assessment-store';
import type { InviteDocument, InviteStore } from '../data-access/invite-store';
import type { SubmissionReader } from '../data-access/submission-reader';
import type {
  AssessmentCreate,
  AssessmentView,
  InviteCreate,
  InviteCreated,
  InvitePreview,
  InviteView,
  SessionStarted,
  SessionView,
} from '../schemas/assessment.schema';
import type { EventPublisher } from '../webhooks/event-types';
import {
  generateToken,
  INVITE_TOKEN_PREFIX,
  isWellFormedToken,
  SESSION_TOKEN_PREFIX,
  tokenSha256,
} from './invite-token';

/** What {@link Assessments} works with. */
export interface AssessmentsDeps {
  assessments: AssessmentStore;
  invites: InviteStore;
  submissions: SubmissionReader;
  catalog: ChallengeCatalog;
  events: EventPublisher;
  /** Invite links are `<inviteLinkBase><token>` (config `INVITE_LINK_BASE`). */
  inviteLinkBase: string;
  logger: Logger;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** Path of an assessment resource. */
export function assessmentPath(id: string): string {
  return `/v1/assessments/${encodeURIComponent(id)}`;
}

/** An assessment document as the API shows it. */
export function toAssessmentView(a: AssessmentDocument): AssessmentView {
  const self = assessmentPath(a._id);
  return {
    id: a._id,
    organisation: a.organisation,
    title: a.title,
    challenge_ids: a.challenge_ids,
    time_limit_ms: a.time_limit_ms,
    opens_at: iso(a.opens_at),
    closes_at: iso(a.closes_at),
    max_attempts: a.max_attempts,
    feedback: a.feedback,
    invite_ttl_ms: a.invite_ttl_ms,
    created_at: a.created_at.toISOString(),
    links: {
      self,
      invites: `${self}/invites`,
      results: `${self}/results`,
      results_csv: `${self}/results.csv`,
    },
  };
}

/** An invite document as its organisation sees it (no token, no hashes). */
export function toInviteView(i: InviteDocument): InviteView {
  return {
    id: i._id,
    assessment_id: i.assessment_id,
    candidate: i.candidate,
    status: i.status,
    created_at: i.created_at.toISOString(),
    expires_at: i.expires_at.toISOString(),
    started_at: iso(i.started_at),
    deadline: iso(i.deadline),
    completed_at: iso(i.completed_at),
  };
}

/**
 * Assessments and invites of organisations, and the candidate's side of them (start, limits, finish). Every
 * owner operation takes the caller's organisation and treats another organisation's objects as absent (404,
 * OWASP API Security Top 10 2023 API1: object-level authorization on every access).
 */
export class Assessments {
  constructor(private readonly deps: AssessmentsDeps) {}

  /**
   * Creates an assessment over challenges the organisation owns or that have no owner.
   *
   * @throws AppError `CHALLENGE_NOT_FOUND` (404) for an unknown challenge or one of another organisation.
   */
  async create(organisation: string, body: AssessmentCreate, now = new Date()): Promise<AssessmentDocument> {
    for (const id of body.challenge_ids) {
      const owner = this.deps.catalog.get(id)?.manifest;
      if (!owner || (owner.owner !== undefined && owner.owner !== organisation)) {
        throw new AppError('CHALLENGE_NOT_FOUND', `challenge ${id} does not exist`);
      }
    }
    const doc: AssessmentDocument = {
      _id: randomUUID(),
      organisation,
      title: body.title,
      challenge_ids: [...new Set(body.challenge_ids)],
      time_limit_ms: body.time_limit_ms,
      opens_at: body.opens_at ? new Date(body.opens_at) : null,
      closes_at: body.closes_at ? new Date(body.closes_at) : null,
      max_attempts: body.max_attempts,
      feedback: body.feedback,
      invite_ttl_ms: body.invite_ttl_ms,
      created_at: now,
    };
    await this.deps.assessments.insert(doc);
    return doc;
  }

  /** The organisation's assessments, newest first. */
  list(organisation: string): Promise<AssessmentDocument[]> {
    return this.deps.assessments.list(organisation);
  }

  /**
   * The organisation's assessment.
   *
   * @throws AppError `ASSESSMENT_NOT_FOUND` (404) when absent or another organisation's.
   */
  async get(organisation: string, id: string): Promise<AssessmentDocument> {
    const doc = /^[0-9a-f-]{36}$/.test(id) ? await this.deps.assessments.find(organisation, id) : null;
    if (!doc) throw new AppError('ASSESSMENT_NOT_FOUND', `assessment ${id} does not exist`);
    return doc;
  }

  /**
   * Invites candidates: one single-use token each (256 random bits, stored as SHA-256), expiring after the
   * assessment's `invite_ttl_ms`. The response is the only place the tokens and links appear.
   *
   * @throws AppError `ASSESSMENT_NOT_FOUND` (404).
   */
  async invite(
    organisation: string,
    assessmentId: string,
    body: InviteCreate,
    now = new Date(),
  ): Promise<InviteCreated[]> {
    const assessment = await this.get(organisation, assessmentId);
    const created = body.candidates.map((c) => {
      const token = generateToken(INVITE_TOKEN_PREFIX);
      const doc: InviteDocument = {
        _id: randomUUID(),
        organisation,
        assessment_id: assessment._id,
        candidate: { email: c.email, name: c.name ?? null },
        token_sha256: token.sha256,
        session_sha256: null,
        status: 'pending',
        created_at: now,
        expires_at: new Date(now.getTime() + assessment.invite_ttl_ms),
        started_at: null,
        deadline: null,
        completed_at: null,
        attempts: {},
      };
      return { doc, token: token.token };
    });
    await this.deps.invites.insertMany(created.map((c) => c.doc));
    return created.map(({ doc, token }) => ({
      ...toInviteView(doc),
      token,
      link: `${this.deps.inviteLinkBase}${token}`,
    }));
  }

  /** Reads an invite by its token; `INVITE_NOT_FOUND` (404) for a malformed or unknown one. */
  private async byToken(token: string): Promise<{ invite: InviteDocument; assessment: AssessmentDocument }> {
    const notFound = new AppError('INVITE_NOT_FOUND', 'no invite has this token');
    if (!isWellFormedToken(token, INVITE_TOKEN_PREFIX)) throw notFound;
    const invite = await this.deps.invites.findByTokenHash(tokenSha256(token));
    if (!invite) throw notFound;
    const assessment = await this.deps.assessments.findById(invite.assessment_id);
    if (!assessment) throw notFound;
    return { invite, assessment };
  }

  /**
   * What an invite token leads to, before it is used.
   *
   * @throws AppError `INVITE_NOT_FOUND` (404).
   */
  async preview(token: string): Promise<InvitePreview> {
    const { invite, assessment } = await this.byToken(token);
    return {
      assessment: {
        title: assessment.title,
        organisation: assessment.organisation,
        challenge_ids: assessment.challenge_ids,
        time_limit_ms: assessment.time_limit_ms,
        max_attempts: assessment.max_attempts,
        opens_at: iso(assessment.opens_at),
        closes_at: iso(assessment.closes_at),
      },
      candidate: invite.candidate,
      status: invite.status,
      expires_at: invite.expires_at.toISOString(),
    };
  }

  /**
   * Starts the assessment with an invite token (its one use): the timer starts, the deadline is start + time
   * limit (at most the assessment's close), and a session token (`sgs_…`, stored hashed) is returned once.
   *
   * @throws AppError `INVITE_NOT_FOUND` (404); `INVITE_USED` (409) when already started; `INVITE_EXPIRED`
   *   (410); `ASSESSMENT_NOT_OPEN` (409) before `opens_at` or after `closes_at`.
   */
  async start(token: string, now = new Date()): Promise<SessionStarted> {
    const { invite, assessment } = await this.byToken(token);
    if (invite.status === 'started' || invite.status === 'completed') {
      throw new AppError('INVITE_USED', 'this invite was already used to start the assessment');
    }
    if (invite.status === 'expired' || invite.expires_at <= now) {
      throw new AppError('INVITE_EXPIRED', `this invite expired at ${invite.expires_at.toISOString()}`);
    }
    if (assessment.opens_at && now < assessment.opens_at) {
      throw new AppError(
        'ASSESSMENT_NOT_OPEN',
        `the assessment opens at ${assessment.opens_at.toISOString()}`,
      );
    }
    if (assessment.closes_at && now >= assessment.closes_at) {
      throw new AppError(
        'ASSESSMENT_NOT_OPEN',
        `the assessment closed at ${assessment.closes_at.toISOString()}`,
      );
    }
    const end = now.getTime() + assessment.time_limit_ms;
    const deadline = new Date(assessment.closes_at ? Math.min(end, assessment.closes_at.getTime()) : end);
    const session = generateToken(SESSION_TOKEN_PREFIX);
    const started = await this.deps.invites.start(invite._id, session.sha256, now, deadline);
    if (!started) throw new AppError('INVITE_USED', 'this invite was already used to start the assessment');
    return { ...(await this.sessionView(started, assessment)), session_token: session.token };
  }

  /** The candidate's session as they see it. */
  async session(inviteId: string): Promise<SessionView> {
    const invite = await this.deps.invites.findById(inviteId);
    const assessment = invite ? await this.deps.assessments.findById(invite.assessment_id) : null;
    if (!invite || !assessment) throw new AppError('INVITE_NOT_FOUND', 'the session has no invite');
    return this.sessionView(invite, assessment);
  }

  private async sessionView(invite: InviteDocument, assessment: AssessmentDocument): Promise<SessionView> {
    const subs = await this.deps.submissions.listForInvite(invite._id);
    return {
      invite_id: invite._id,
      assessment_id: assessment._id,
      title: assessment.title,
      status: invite.status,
      started_at: iso(invite.started_at),
      deadline: iso(invite.deadline),
      feedback: assessment.feedback,
      challenges: assessment.challenge_ids.map((id) => ({
        id,
        attempts_used: invite.attempts[id] ?? 0,
        attempts_allowed: assessment.max_attempts,
        links: {
          challenge: `/v1/challenges/${encodeURIComponent(id)}`,
          starter: `/v1/challenges/${encodeURIComponent(id)}/starter`,
        },
      })),
      submissions: subs.map((s) => ({ id: s._id, challenge_id: s.challenge_id, status: s.status })),
    };
  }

  /**
   * Checks a candidate may submit to `challengeId` and returns the hooks that take (and, when storing fails,
   * give back) one attempt atomically.
   *
   * @throws AppError `CHALLENGE_NOT_FOUND` (404) for a challenge outside the assessment; `ASSESSMENT_OVER`
   *   (409, from `take`) when the deadline passed, the assessment ended or the attempts are used up.
   */
  async admission(
    inviteId: string,
    challengeId: string,
  ): Promise<{ take: () => Promise<void>; release: () => Promise<void> }> {
    const invite = await this.deps.invites.findById(inviteId);
    const assessment = invite ? await this.deps.assessments.findById(invite.assessment_id) : null;
    if (!invite || !assessment) throw new AppError('INVITE_NOT_FOUND', 'the session has no invite');
    if (!assessment.challenge_ids.includes(challengeId)) {
      throw new AppError('CHALLENGE_NOT_FOUND', `challenge ${challengeId} is not part of this assessment`);
    }
    return {
      take: async () => {
        const now = new Date();
        const taken = await this.deps.invites.takeAttempt(
          inviteId,
          challengeId,
          assessment.max_attempts,
          now,
        );
        if (!taken) {
          const why =
            invite.status !== 'started'
              ? `the assessment is ${invite.status}`
              : invite.deadline && invite.deadline <= now
                ? `the deadline ${invite.deadline.toISOString()} has passed`
                : `the ${assessment.max_attempts} attempts at ${challengeId} are used up`;
          throw new AppError('ASSESSMENT_OVER', `no more submissions: ${why}`);
        }
      },
      release: () => this.deps.invites.returnAttempt(inviteId, challengeId),
    };
  }

  /**
   * Ends a candidate's assessment (their request, the deadline, or every attempt used and graded) once, and
   * publishes `assessment.completed`. Returns false when it had already ended.
   */
  async complete(
    inviteId: string,
    reason: 'finished' | 'time_up' | 'attempts_used',
    now = new Date(),
  ): Promise<boolean> {
    if (!(await this.deps.invites.complete(inviteId, now))) return false;
    const invite = await this.deps.invites.findById(inviteId);
    if (invite) {
      await this.deps.events.publish(invite.organisation, 'assessment.completed', {
        assessment_id: invite.assessment_id,
        invite_id: invite._id,
        candidate: invite.candidate,
        reason,
        completed_at: now.toISOString(),
      });
    }
    return true;
  }
}
