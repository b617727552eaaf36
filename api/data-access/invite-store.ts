import type { Collection, Db } from 'mongodb';
import { guardStore } from './store-guard';

/** Collection of invites. */
export const INVITES_COLLECTION = 'invites';

/**
 * `pending` (sent, not used) → `started` (the candidate used the token; the timer runs) → `completed`
 * (finished, timed out or out of attempts); `pending` → `expired` when the token outlived its lifetime.
 */
export type InviteStatus = 'pending' | 'started' | 'completed' | 'expired';

/** One candidate's invite to an assessment. Tokens are stored only as SHA-256 hashes. */
export interface InviteDocument {
  /** UUID v4. */
  _id: string;
  organisation: string;
  assessment_id: string;
  candidate: { email: string; name: string | null };
  /** SHA-256 (hex) of the invite token; the token itself is only in the creation response. */
  token_sha256: string;
  /** SHA-256 (hex) of the session token issued when the candidate started; null before. */
  session_sha256: string | null;
  status: InviteStatus;
  created_at: Date;
  /** The invite token starts nothing after this instant. */
  expires_at: Date;
  started_at: Date | null;
  /** Submissions are accepted until this instant (start + time limit, at most the assessment's close). */
  deadline: Date | null;
  completed_at: Date | null;
  /** Submissions made per challenge id. */
  attempts: Record<string, number>;
}

/** Invites in MongoDB. Every method throws AppError `STORE_UNAVAILABLE` when the store fails. */
export class InviteStore {
  readonly col: Collection<InviteDocument>;

  constructor(db: Db) {
    this.col = db.collection<InviteDocument>(INVITES_COLLECTION);
  }

  insertMany(docs: InviteDocument[]): Promise<void> {
    return guardStore('insert invites', async () => {
      if (docs.length > 0) await this.col.insertMany(docs);
    });
  }

  findByTokenHash(sha256: string): Promise<InviteDocument | null> {
    return guardStore('find invite', () => this.col.findOne({ token_sha256: sha256 }));
  }

  findBySessionHash(sha256: string): Promise<InviteDocument | null> {
    return guardStore('find session', () => this.col.findOne({ session_sha256: sha256 }));
  }

  findById(id: string): Promise<InviteDocument | null> {
    return guardStore('find invite', () => this.col.findOne({ _id: id }));
  }

  /** Invites of one assessment of one organisation, oldest first. */
  listForAssessment(organisation: string, assessmentId: string): Promise<InviteDocument[]> {
    return guardStore('list invites', () =>
      this.col.find({ organisation, assessment_id: assessmentId }).sort({ created_at: 1 }).toArray(),
    );
  }

  /**
   * Starts a pending, unexpired invite exactly once (compare-and-set on `status`): the single use of its token.
   * Returns the updated invite, or null when another request started it first or it expired meanwhile.
   */
  start(id: string, sessionSha256: string, now: Date, deadline: Date): Promise<InviteDocument | null> {
    return guardStore('start invite', () =>
      this.col.findOneAndUpdate(
        { _id: id, status: 'pending', expires_at: { $gt: now } },
        { $set: { status: 'started', session_sha256: sessionSha256, started_at: now, deadline } },
        { returnDocument: 'after' },
      ),
    );
  }

  /**
   * Counts one submission of `challengeId` when the invite is started, before its deadline and below
   * `maxAttempts` for that challenge (one atomic update, so concurrent submissions cannot overshoot).
   * Returns the updated invite, or null when a limit refused it.
   */
  takeAttempt(
    id: string,
    challengeId: string,
    maxAttempts: number,
    now: Date,
  ): Promise<InviteDocument | null> {
    const field = `attempts.${challengeId}`;
    return guardStore('count attempt', () =>
      this.col.findOneAndUpdate(
        {
          _id: id,
          status: 'started',
          deadline: { $gt: now },
          $or: [{ [field]: { $exists: false } }, { [field]: { $lt: maxAttempts } }],
        },
        { $inc: { [field]: 1 } },
        { returnDocument: 'after' },
      ),
    );
  }

  /** Gives back an attempt taken for a submission that could not be stored. */
  returnAttempt(id: string, challengeId: string): Promise<void> {
    return guardStore('return attempt', async () => {
      await this.col.updateOne({ _id: id }, { $inc: { [`attempts.${challengeId}`]: -1 } });
    });
  }

  /** Marks a started invite completed once; true when this call did it. */
  complete(id: string, now: Date): Promise<boolean> {
    return guardStore('complete invite', async () => {
      const r = await this.col.updateOne(
        { _id: id, status: 'started' },
        { $set: { status: 'completed', completed_at: now } },
      );
      return r.modifiedCount === 1;
    });
  }

  /** Marks a pending invite expired once; true when this call did it. */
  expire(id: string, now: Date): Promise<boolean> {
    return guardStore('expire invite', async () => {
      const r = await this.col.updateOne(
        { _id: id, status: 'pending', expires_at: { $lte: now } },
        { $set: { status: 'expired', completed_at: null } },
      );
      return r.modifiedCount === 1;
    });
  }

  /** Pending invites whose token expired, and started ones whose deadline passed, at most `limit` of each. */
  async overdue(
    now: Date,
    limit: number,
  ): Promise<{ expired: InviteDocument[]; timedOut: InviteDocument[] }> {
    return guardStore('find overdue invites', async () => ({
      expired: await this.col
        .find({ status: 'pending', expires_at: { $lte: now } })
        .limit(limit)
        .toArray(),
      timedOut: await this.col
        .find({ status: 'started', deadline: { $lte: now } })
        .limit(limit)
        .toArray(),
    }));
  }
}
