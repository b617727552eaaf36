import { Router, type Response } from 'express';
import { isLaterProgress, type GradingProgress } from '../../runner/contract/grading-progress';
import { getSubmission, type GetSubmissionDeps } from '../domain/get-submission';
import { methodNotAllowed } from '../middleware/error-handler';
import type { SubmissionView } from '../schemas/submission.schema';
import type { ProgressFeed } from '../queue/progress-feed';

/** How often the stream re-reads the submission, in case an event of the feed was missed, ms. */
export const EVENTS_POLL_MS = 3_000;
/** Interval of SSE comment lines that keep proxies from closing an idle stream, ms. */
export const EVENTS_HEARTBEAT_MS = 15_000;

/** What {@link submissionEventsRouter} reads. */
export interface SubmissionEventsDeps extends GetSubmissionDeps {
  /** Live progress from the runners; without it the stream reports only `queued` and `done`. */
  progress?: ProgressFeed;
  /** Overrides {@link EVENTS_POLL_MS} (tests). */
  pollMs?: number;
}

/**
 * The `done` event's data: the submission's final status and overall score (percent) when completed and the
 * candidate may see it (null when an assessment's feedback tier is `none`).
 */
export interface DoneEvent {
  status: 'completed' | 'error';
  overall: number | null;
}

function send(
  res: Response,
  event: 'progress' | 'done',
  data: Omit<GradingProgress, 'reached'> | DoneEvent,
): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

function doneOf(view: SubmissionView): DoneEvent | null {
  if (view.status !== 'completed' && view.status !== 'error') return null;
  return { status: view.status, overall: view.report?.scores.overall ?? view.scores?.overall ?? null };
}

/**
 * `GET /v1/submissions/:id/events`: the grading's progress as Server-Sent Events (HTML Living Standard
 * §9.2, `text/event-stream`). Events: `progress` with a {@link GradingProgress} (`queued` first when the
 * submission waits, then `installing`, `pod_starting`, `checks` n/N as the runner publishes them; a watcher
 * that connects late first gets the stages the grading already reached) and one final `done`
 * ({@link DoneEvent}), after which the stream ends; a submission that has already ended gets the stages its
 * grading went through (while the queue keeps its job) and `done`. Anonymous, like the candidate view (the id is an unguessable UUID). Errors before the
 * stream starts are problem+json (404 for an unknown id).
 */
export function submissionEventsRouter(deps: SubmissionEventsDeps): Router {
  const router = Router();
  const pollMs = deps.pollMs ?? EVENTS_POLL_MS;

  router
    .route('/v1/submissions/:id/events')
    .get(async (req, res) => {
      const id = req.params.id;
      // The same existence check (and 404) as the candidate view.
      await getSubmission(deps, id, 'candidate');
      let closed = false;
      const timers: NodeJS.Timeout[] = [];
      let unsubscribe = (): void => undefined;
      const finish = (): void => {
        if (closed) return;
        closed = true;
        for (const t of timers) clearInterval(t);
        unsubscribe();
        res.end();
      };
      const check = async (): Promise<void> => {
        const view = await getSubmission(deps, id, 'candidate').catch(() => null);
        const done = view ? doneOf(view) : null;
        if (done && !closed) {
          send(res, 'done', done);
          finish();
        }
      };
      // Live events wait while the stages reached before this watcher connected are replayed; then only
      // events further along than the last one sent go out, so the stream never repeats or goes back.
      let last: GradingProgress | null = null;
      let replaying = true;
      const pending: GradingProgress[] = [];
      const forward = (p: GradingProgress): void => {
        if (closed || (last && !isLaterProgress(p, last))) return;
        last = p;
        const { reached: _reached, ...event } = p;
        send(res, 'progress', event);
      };
      if (deps.progress) {
        unsubscribe = deps.progress.subscribe(id, (u) => {
          if (closed) return;
          if (u.kind === 'ended') void check();
          else if (replaying) pending.push(u.progress);
          else forward(u.progress);
        });
      }
      res.status(200).set({
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Accel-Buffering': 'no',
      });
      res.flushHeaders();
      res.write(`retry: ${pollMs}\n\n`);
      req.on('close', finish);

      const doc = await deps.store.findSubmission(id).catch(() => null);
      if (doc?.status === 'queued') forward({ stage: 'queued' });
      const current = deps.progress ? await deps.progress.current(id) : null;
      if (current) {
        for (const stage of current.reached ?? []) if (stage !== current.stage) forward({ stage });
        forward(current);
      }
      replaying = false;
      for (const p of pending.splice(0)) forward(p);
      await check();
      if (closed) return;
      timers.push(setInterval(() => void check(), pollMs));
      timers.push(setInterval(() => res.write(': keep-alive\n\n'), EVENTS_HEARTBEAT_MS));
    })
    .all(methodNotAllowed('GET'));

  return router;
}
