import type { SubmissionDocument } from '../../runner/contract/submission.schema';
import type { AssessmentDocument } from '../data-access/assessment-store';
import type { InviteDocument } from '../data-access/invite-store';
import type { CandidateResult } from '../schemas/assessment.schema';

/**
 * One row per invited candidate: status, time used, and per challenge the attempts and the scores of the
 * latest graded submission. Pure.
 *
 * @param now - for the time used of a candidate still working, capped at the deadline.
 */
export function buildResults(
  assessment: AssessmentDocument,
  invites: readonly InviteDocument[],
  submissions: readonly SubmissionDocument[],
  now: Date,
): CandidateResult[] {
  return invites.map((invite) => {
    const mine = submissions.filter((s) => s.assessment?.invite_id === invite._id);
    let timeUsed: number | null = null;
    if (invite.started_at) {
      const end = invite.completed_at ?? (invite.deadline && invite.deadline < now ? invite.deadline : now);
      timeUsed = Math.max(0, end.getTime() - invite.started_at.getTime());
    }
    return {
      invite_id: invite._id,
      candidate: invite.candidate,
      status: invite.status,
      started_at: invite.started_at?.toISOString() ?? null,
      completed_at: invite.completed_at?.toISOString() ?? null,
      time_used_ms: timeUsed,
      challenges: assessment.challenge_ids.map((challengeId) => {
        const graded = mine.filter((s) => s.challenge_id === challengeId && s.report);
        const latest = graded[graded.length - 1];
        return {
          challenge_id: challengeId,
          attempts: invite.attempts[challengeId] ?? 0,
          submission_id: latest?._id ?? null,
          verdict: latest?.report?.status ?? null,
          scores: latest?.report?.scores ?? null,
        };
      }),
      submissions: mine.map((s) => ({
        id: s._id,
        challenge_id: s.challenge_id,
        status: s.status,
        created_at: s.created_at.toISOString(),
        overall: s.report?.scores.overall ?? null,
      })),
    };
  });
}
