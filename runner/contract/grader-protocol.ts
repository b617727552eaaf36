/**
 * The wire between the runner and a pod's grader, defined once for both sides (docs/architecture.md): the
 * grader writes one event per stdout line behind {@link EVENT_PREFIX}; the runner signals it with
 * {@link CANDIDATE_STARTED_SIGNAL}.
 */

/** Prefix of every grader → runner event line on stdout; anything else the grader prints is a log line. */
export const EVENT_PREFIX = '@@stackgrade ';

/**
 * Signal the runner sends the grader (Docker's kill API, to its PID 1) once the candidate's container has
 * started; the grader waits for it after `awaiting-candidate`. Not SIGUSR1: Node.js reserves that one for
 * its inspector.
 */
export const CANDIDATE_STARTED_SIGNAL = 'SIGUSR2';
