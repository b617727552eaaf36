import type { InviteStore } from '../data-access/invite-store';
import type { EventPublisher } from '../webhooks/event-types';
import type { Assessments } from './assessments';

/** How often the API sweeps overdue invites, ms. */
export const LIFECYCLE_SWEEP_INTERVAL_MS = 30_000;

/**
 * One pass over overdue invites: a pending invite whose token expired becomes `expired` and publishes
 * `invite.expired`; a started one past its deadline is completed (`assessment.completed`, reason `time_up`).
 * Each transition is a compare-and-set, so concurrent sweepers publish each event once.
 *
 * @returns how many invites expired and how many sessions timed out.
 */
export async function sweepInvites(
  deps: { invites: InviteStore; assessments: Assessments; events: EventPublisher },
  now = new Date(),
  batch = 100,
): Promise<{ expired: number; timedOut: number }> {
  const { expired, timedOut } = await deps.invites.overdue(now, batch);
  let e = 0;
  let t = 0;
  for (const invite of expired) {
    if (!(await deps.invites.expire(invite._id, now))) continue;
    e++;
    await deps.events.publish(invite.organisation, 'invite.expired', {
      invite_id: invite._id,
      assessment_id: invite.assessment_id,
      candidate: invite.candidate,
      expired_at: invite.expires_at.toISOString(),
    });
  }
  for (const invite of timedOut) if (await deps.assessments.complete(invite._id, 'time_up', now)) t++;
  return { expired: e, timedOut: t };
}
