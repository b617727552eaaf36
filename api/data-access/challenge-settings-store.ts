import type { Collection, Db } from 'mongodb';
import { guardStore } from './store-guard';

/** Collection of per-challenge settings an organisation changed. */
export const CHALLENGE_SETTINGS_COLLECTION = 'challenge_settings';

/** Settings of one challenge; a challenge without a document has the defaults. */
export interface ChallengeSettingsDocument {
  /** Challenge id. */
  _id: string;
  organisation: string;
  /** Open submissions (outside any assessment) accepted (default true). */
  open_submissions: boolean;
  updated_at: Date;
}

/** Challenge settings in MongoDB. Throws AppError `STORE_UNAVAILABLE` when the store fails. */
export class ChallengeSettingsStore {
  private readonly col: Collection<ChallengeSettingsDocument>;

  constructor(db: Db) {
    this.col = db.collection<ChallengeSettingsDocument>(CHALLENGE_SETTINGS_COLLECTION);
  }

  /** Whether open submissions (outside any assessment) are accepted: true unless the challenge's owner said no. */
  async openSubmissionsAllowed(challengeId: string): Promise<boolean> {
    const doc = await guardStore('read challenge settings', () => this.col.findOne({ _id: challengeId }));
    return doc?.open_submissions ?? true;
  }

  /** Stores the settings of a challenge (upsert). */
  put(doc: ChallengeSettingsDocument): Promise<void> {
    return guardStore('write challenge settings', async () => {
      await this.col.replaceOne({ _id: doc._id }, doc, { upsert: true });
    });
  }
}
