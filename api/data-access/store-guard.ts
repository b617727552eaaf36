import { MongoError, MongoNetworkError, MongoServerSelectionError } from 'mongodb';
import { AppError } from '../../runner/contract/app-error';

/**
 * Runs one store operation and turns any driver failure into AppError `STORE_UNAVAILABLE` (503), retryable
 * when the failure is transient (network, server selection, a RetryableWriteError label).
 */
export async function guardStore<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (cause) {
    throw new AppError('STORE_UNAVAILABLE', `The store failed to ${operation}; retry later.`, {
      retryable: isTransient(cause),
      cause,
    });
  }
}

/** Network and server-selection failures heal by themselves; other driver errors may not. */
function isTransient(err: unknown): boolean {
  return (
    err instanceof MongoNetworkError ||
    err instanceof MongoServerSelectionError ||
    (err instanceof MongoError && err.hasErrorLabel('RetryableWriteError'))
  );
}
