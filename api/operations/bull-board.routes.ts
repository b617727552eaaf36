import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router } from 'express';
import { AppError } from '../../runner/contract/app-error';
import type { WatchedQueue } from './api-metrics';
import { requireAdminKey } from './admin-key';

/** Where Bull Board is mounted. */
export const BULL_BOARD_PATH = '/admin/queues';

/**
 * Bull Board (the @bull-board dashboard of BullMQ queues: jobs by state, retry, clean) at
 * {@link BULL_BOARD_PATH}, for operators only ({@link requireAdminKey}). Without `adminKey` the path answers
 * 404 NOT_FOUND: the dashboard is off.
 */
export function bullBoardRouter(queues: readonly WatchedQueue[], adminKey: string | undefined): Router {
  const router = Router();
  if (!adminKey) {
    router.use(BULL_BOARD_PATH, () => {
      throw new AppError('NOT_FOUND', 'Bull Board is off: ADMIN_API_KEY is not set');
    });
    return router;
  }
  const adapter = new ExpressAdapter();
  adapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: queues.map(({ queue }) => new BullMQAdapter(queue)),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'Stackgrade queues' } },
  });
  router.use(BULL_BOARD_PATH, requireAdminKey(adminKey), adapter.getRouter() as Router);
  return router;
}
