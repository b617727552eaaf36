import { Binary, type Collection, type Db, type Filter } from 'mongodb';
import type { GradeReport } from '../contract/grade-result.schema';
import type { SubmissionDocument } from '../contract/submission.schema';

interface ArchiveDocument {
  _id: string;
  data: Binary;
  format: string;
  /** When the API stored it (absent on archives stored before the field existed). */
  created_at?: Date;
  /** Set by the orphan sweep once the archive's submission document was seen (archive-sweeper.ts). */
  linked?: boolean;
}

/**
 * The runner's side of the submission store (MongoDB, the source of truth; docs/architecture.md, "The store"):
 * take a lease, write the report with compare-and-set on the attempt, find stuck submissions. Uses only
 * single-document atomic updates (no transactions, no change streams: FerretDB and MongoDB both do these).
 */
export class SubmissionRepository {
  private readonly submissions: Collection<SubmissionDocument>;
  private readonly archives: Collection<ArchiveDocument>;

  constructor(db: Db) {
    this.submissions = db.collection<SubmissionDocument>('submissions');
    this.archives = db.collection<ArchiveDocument>('archives');
  }

  get(id: string): Promise<SubmissionDocument | null> {
    return this.submissions.findOne({ _id: id });
  }

  /** The stored archive bytes (tar.gz) of a submission, or null. */
  async archive(id: string): Promise<Buffer | null> {
    const a = await this.archives.findOne({ _id: id });
    return a ? Buffer.from(a.data.buffer) : null;
  }

  /**
   * Starts an attempt: `queued`/`running` → `running`, attempt + 1, lease until `leaseUntil`, and appends
   * `worker` to `lease_history` in the same update. Returns the new attempt number, or null when the
   * submission is already finished (a duplicate delivery).
   */
  async lease(id: string, worker: string, leaseUntil: Date): Promise<number | null> {
    const now = new Date();
    const doc = await this.submissions.findOneAndUpdate(
      { _id: id, status: { $in: ['queued', 'running'] } },
      {
        $set: { status: 'running', leased_by: worker, lease_until: leaseUntil, updated_at: now },
        $inc: { attempt: 1 },
        $push: { lease_history: { worker, leased_at: now } },
      },
      { returnDocument: 'after' },
    );
    return doc ? doc.attempt : null;
  }

  /** Stores the report if `attempt` still holds the lease (compare-and-set); returns whether it did. */
  complete(id: string, attempt: number, report: GradeReport): Promise<boolean> {
    return this.endLease(
      { _id: id, attempt, status: 'running' },
      { status: 'completed', report, error: null },
    );
  }

  /** Ends the submission as a platform `error` (after retries, or for a permanent failure), same compare-and-set. */
  fail(id: string, attempt: number, code: string, message: string): Promise<boolean> {
    return this.endLease(
      { _id: id, attempt, status: 'running' },
      { status: 'error', error: { code, message } },
    );
  }

  /**
   * Ends a stuck submission (`queued`, or `running` with any lease) as a platform `error`, compare-and-set on
   * `attempt` so a grading that starts meanwhile wins. Returns whether it did.
   */
  giveUp(id: string, attempt: number, code: string, message: string): Promise<boolean> {
    return this.endLease(
      { _id: id, attempt, status: { $in: ['queued', 'running'] } },
      { status: 'error', error: { code, message } },
    );
  }

  /** Puts a running submission back to `queued` (its attempt was interrupted and will run again). */
  async requeue(id: string, attempt: number): Promise<void> {
    await this.endLease({ _id: id, attempt, status: 'running' }, { status: 'queued' });
  }

  /**
   * Gives back every lease `worker` holds (`running` → `queued`): called at start-up, when this worker id's
   * previous process died mid-run, so the attempts it held are re-run (by BullMQ's stalled-job check, or by
   * the reconciler once `queued` is older than its grace period if the job is gone) instead of waiting for
   * the lease to expire. Returns the ids given back.
   */
  async releaseWorker(worker: string): Promise<string[]> {
    const held = await this.submissions
      .find({ status: 'running', leased_by: worker }, { projection: { _id: 1, attempt: 1 } })
      .toArray();
    const released: string[] = [];
    for (const doc of held) {
      const r = await this.submissions.updateOne(
        { _id: doc._id, attempt: doc.attempt, status: 'running', leased_by: worker },
        { $set: { status: 'queued', leased_by: null, lease_until: null, updated_at: new Date() } },
      );
      if (r.modifiedCount === 1) released.push(doc._id);
    }
    return released;
  }

  /** Submissions that should be in the queue but may not be: queued before `queuedBefore`, or running with an expired lease. */
  stuck(queuedBefore: Date, now: Date, limit = 100): Promise<SubmissionDocument[]> {
    return this.submissions
      .find({
        $or: [
          { status: 'queued', updated_at: { $lt: queuedBefore } },
          { status: 'running', lease_until: { $lt: now } },
        ],
      })
      .limit(limit)
      .toArray();
  }

  /** Marks a stuck submission as re-enqueued now (so it is not picked again before the grace period). */
  async touch(id: string): Promise<void> {
    await this.submissions.updateOne({ _id: id, status: 'queued' }, { $set: { updated_at: new Date() } });
  }

  /** Gives archives stored without `created_at` (older API versions) the current time, so they age from now. */
  async stampUndatedArchives(): Promise<void> {
    await this.archives.updateMany({ created_at: { $exists: false } }, { $set: { created_at: new Date() } });
  }

  /** Ids of archives stored before `before` and not yet seen with their submission, at most `limit`. */
  async unlinkedArchiveIds(before: Date, limit: number): Promise<string[]> {
    const docs = await this.archives
      .find({ created_at: { $lt: before }, linked: { $ne: true } }, { projection: { _id: 1 } })
      .limit(limit)
      .toArray();
    return docs.map((d) => d._id);
  }

  /** Which of `ids` have a submission document. */
  async existingSubmissionIds(ids: string[]): Promise<string[]> {
    const docs = await this.submissions.find({ _id: { $in: ids } }, { projection: { _id: 1 } }).toArray();
    return docs.map((d) => d._id);
  }

  /** Marks archives as belonging to an existing submission (the sweep does not look at them again). */
  async markArchivesLinked(ids: string[]): Promise<void> {
    if (ids.length) await this.archives.updateMany({ _id: { $in: ids } }, { $set: { linked: true } });
  }

  /**
   * Deletes an archive if it still has no submission document and was never linked; returns whether it
   * did. Call only for archives older than the sweep's grace period (no API request can still be writing
   * their document).
   */
  async deleteOrphanArchive(id: string): Promise<boolean> {
    if ((await this.submissions.countDocuments({ _id: id }, { limit: 1 })) > 0) return false;
    const r = await this.archives.deleteOne({ _id: id, linked: { $ne: true } });
    return r.deletedCount === 1;
  }

  /**
   * Sets `fields` on the one submission `filter` matches and clears its lease (`leased_by`, `lease_until`;
   * `updated_at` now): a single-document compare-and-set. Returns whether a document matched.
   */
  private async endLease(
    filter: Filter<SubmissionDocument>,
    fields: Partial<SubmissionDocument>,
  ): Promise<boolean> {
    const r = await this.submissions.updateOne(filter, {
      $set: { ...fields, leased_by: null, lease_until: null, updated_at: new Date() },
    });
    return r.matchedCount === 1;
  }
}
