import { Binary, type Collection, type Db } from 'mongodb';
import type { SubmissionDocument } from '../../runner/contract/submission.schema';
import { guardStore as guard } from './store-guard';

/** Collection names of the submission store. */
export const SUBMISSIONS_COLLECTION = 'submissions';
export const ARCHIVES_COLLECTION = 'archives';

/**
 * A stored submission archive, keyed by submission id: always tar.gz (a validated tar.gz upload as received,
 * other uploads packed by the API).
 */
export interface StoredArchive {
  _id: string;
  data: Buffer;
  format: 'tar.gz';
}

/** The `archives` document as MongoDB holds it. */
export interface ArchiveDocument {
  _id: string;
  data: Binary;
  format: 'tar.gz';
  /**
   * When it was stored: the runner's sweep removes archives left without a submission document (an API
   * killed between the two inserts) once they are older than its grace period (runner/worker/archive-sweeper.ts).
   */
  created_at: Date;
}

/**
 * Where submissions and their archives live (the source of truth; docs/architecture.md, "The store").
 * Every method throws AppError `STORE_UNAVAILABLE` (503, retryable) when the store fails.
 */
export interface SubmissionStore {
  /**
   * Stores an archive (with its `created_at`); call before {@link insertSubmission} so a queued submission
   * always has its bytes. An archive whose submission insert never happens is removed by the runner's
   * orphan sweep (runner/worker/archive-sweeper.ts).
   */
  insertArchive(archive: StoredArchive): Promise<void>;
  /** Removes an archive (used to undo {@link insertArchive} when the submission insert fails); idempotent. */
  deleteArchive(id: string): Promise<void>;
  insertSubmission(doc: SubmissionDocument): Promise<void>;
  /** The submission document, or null when there is none with this id. */
  findSubmission(id: string): Promise<SubmissionDocument | null>;
  /**
   * The reviewer's results list, newest first, at most `limit`: submissions of the challenges in
   * `scope.challengeIds` and those made within `scope.organisation`'s assessments, narrowed to
   * `scope.challengeId` when given. Reports are included; archives are not.
   */
  listSubmissions(scope: SubmissionListScope, limit: number): Promise<SubmissionDocument[]>;
  /** Resolves when the store answers a ping. */
  ping(): Promise<void>;
}

/** Which submissions {@link SubmissionStore.listSubmissions} returns. */
export interface SubmissionListScope {
  /** The organisation whose assessments' submissions are included. */
  organisation: string;
  /** Challenges the organisation owns: all their submissions are included. */
  challengeIds: readonly string[];
  /** Only this challenge's submissions, when given. */
  challengeId?: string;
}

/** {@link SubmissionStore} over the official MongoDB driver; works on MongoDB and FerretDB (no transactions). */
export class MongoSubmissionStore implements SubmissionStore {
  private readonly submissions: Collection<SubmissionDocument>;
  private readonly archives: Collection<ArchiveDocument>;

  constructor(private readonly db: Db) {
    this.submissions = db.collection<SubmissionDocument>(SUBMISSIONS_COLLECTION);
    this.archives = db.collection<ArchiveDocument>(ARCHIVES_COLLECTION);
  }

  insertArchive(archive: StoredArchive): Promise<void> {
    return guard('insert archive', async () => {
      await this.archives.insertOne({
        _id: archive._id,
        data: new Binary(archive.data),
        format: archive.format,
        created_at: new Date(),
      });
    });
  }

  deleteArchive(id: string): Promise<void> {
    return guard('delete archive', async () => {
      await this.archives.deleteOne({ _id: id });
    });
  }

  insertSubmission(doc: SubmissionDocument): Promise<void> {
    return guard('insert submission', async () => {
      await this.submissions.insertOne(doc);
    });
  }

  findSubmission(id: string): Promise<SubmissionDocument | null> {
    return guard('find submission', () => this.submissions.findOne({ _id: id }));
  }

  listSubmissions(scope: SubmissionListScope, limit: number): Promise<SubmissionDocument[]> {
    const owned = {
      $or: [
        { challenge_id: { $in: [...scope.challengeIds] } },
        { 'assessment.organisation': scope.organisation },
      ],
    };
    const filter =
      scope.challengeId === undefined ? owned : { $and: [owned, { challenge_id: scope.challengeId }] };
    return guard('list submissions', () =>
      this.submissions.find(filter).sort({ created_at: -1 }).limit(limit).toArray(),
    );
  }

  ping(): Promise<void> {
    return guard('ping', async () => {
      await this.db.command({ ping: 1 });
    });
  }
}
