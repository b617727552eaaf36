import pino from 'pino';

/** The runner's logger (pino, JSON lines on stderr; level from `LOG_LEVEL`, default `info`). */
export const logger = pino(
  { level: process.env.LOG_LEVEL ?? 'info', base: { svc: 'runner' } },
  pino.destination(2),
);
export type Logger = pino.Logger;
