/** Builders of stored submission documents for tests of the store, the reconciler and the runner. */
import { createHash } from 'node:crypto';
import type { SubmissionFiles } from '../../runner/archive';
import type { SubmissionDocument } from '../../runner/contract/submission.schema';

/** A file set as path → UTF-8 text, for comparing with the plain objects tests write archives from. */
export function filesAsText(files: SubmissionFiles): Record<string, string> {
  return Object.fromEntries([...files].map(([path, content]) => [path, content.toString('utf8')]));
}

/**
 * A `queued` orders-api submission document as the API stores it, created and last updated at `at`;
 * `archive` is the stored archive's bytes (for its sha256 and size). `overrides` replace any field.
 */
export function queuedSubmissionDoc(
  id: string,
  at: Date,
  archive: Buffer,
  overrides: Partial<SubmissionDocument> = {},
): SubmissionDocument {
  return {
    _id: id,
    challenge_id: 'orders-api',
    challenge_version: 1,
    status: 'queued',
    attempt: 0,
    created_at: at,
    updated_at: at,
    leased_by: null,
    lease_until: null,
    archive_sha256: createHash('sha256').update(archive).digest('hex'),
    archive_bytes: archive.length,
    report: null,
    error: null,
    ...overrides,
  };
}
