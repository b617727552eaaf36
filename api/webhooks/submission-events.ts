import type { Db } from 'mongodb';
import type { SubmissionDocument } from '../../runner/contract/submission.schema';
import type { AssessmentStore } from '../data-access/assessment-store';
import type { InviteStore } from '../data-access/invite-store';
import type { SubmissionReader } from '../data-access/submission-reader';
import { SUBMISSIONS_COLLECTION } from '../data-access/submission-store';
import type { Assessments } from '../domain/assessments';
import type { EventPublisher } from './event-types';

/** What {@link onSubmissionFinished} reads and publishes with. */
export interface SubmissionEventsDeps {
  db: Db;
  events: EventPublisher;
  assessmentStore: AssessmentStore;
  invites: InviteStore;
  submissions: SubmissionReader;
  assessments: Assessments;
  /** The organisation owning a challenge (its manifest `owner`), if any. */
  challengeOwner: (challengeId: string) => string | undefined;
}

/**
 * Called by the runner once a submission is final (`completed` or `error`): publishes
 * `submission.completed` or `submission.failed` to the organisation of its assessment (else of its
 * challenge), and ends the candidate's assessment when every attempt of every challenge is used and graded.
 */
export async function onSubmissionFinished(deps: SubmissionEventsDeps, submissionId: string): Promise<void> {
  const doc = await deps.db
    .collection<SubmissionDocument>(SUBMISSIONS_COLLECTION)
    .findOne({ _id: submissionId });
  if (!doc || (doc.status !== 'completed' && doc.status !== 'error')) return;
  const organisation = doc.assessment?.organisation ?? deps.challengeOwner(doc.challenge_id);
  if (organisation === undefined) return;
  await deps.events.publish(
    organisation,
    doc.status === 'completed' ? 'submission.completed' : 'submission.failed',
    {
      submission_id: doc._id,
      challenge_id: doc.challenge_id,
      status: doc.status,
      verdict: doc.report?.status ?? null,
      scores: doc.report?.scores ?? null,
      error: doc.error ?? null,
      assessment_id: doc.assessment?.assessment_id ?? null,
      invite_id: doc.assessment?.invite_id ?? null,
      links: { self: `/v1/submissions/${doc._id}` },
    },
  );
  if (!doc.assessment) return;
  const invite = await deps.invites.findById(doc.assessment.invite_id);
  const assessment = await deps.assessmentStore.findById(doc.assessment.assessment_id);
  if (!invite || !assessment || invite.status !== 'started') return;
  const allUsed = assessment.challenge_ids.every((c) => (invite.attempts[c] ?? 0) >= assessment.max_attempts);
  if (!allUsed) return;
  const subs = await deps.submissions.listForInvite(invite._id);
  if (subs.every((s) => s.status === 'completed' || s.status === 'error')) {
    await deps.assessments.complete(invite._id, 'attempts_used');
  }
}
