import type { Collection, Db } from 'mongodb';
import { guardStore } from './store-guard';

/** Collection of assessments. */
export const ASSESSMENTS_COLLECTION = 'assessments';

/**
 * What a candidate sees of their own reports: `none` (status only), `scores` (overall and per-category
 * scores) or `checks` (scores and the candidate view of every check, hidden checks redacted).
 */
export type FeedbackTier = 'none' | 'scores' | 'checks';

/** An organisation's assessment: challenges a candidate solves under a time limit and an attempt limit. */
export interface AssessmentDocument {
  /** UUID v4. */
  _id: string;
  organisation: string;
  title: string;
  challenge_ids: string[];
  /** Time a candidate has from starting, ms. */
  time_limit_ms: number;
  /** Candidates may start from/until these instants (null: no bound). */
  opens_at: Date | null;
  closes_at: Date | null;
  /** Submissions allowed per challenge and candidate. */
  max_attempts: number;
  feedback: FeedbackTier;
  /** Lifetime of each invite token from its creation, ms. */
  invite_ttl_ms: number;
  created_at: Date;
}

/** Assessments in MongoDB; every read is scoped to an organisation. Throws AppError `STORE_UNAVAILABLE`. */
export class AssessmentStore {
  private readonly col: Collection<AssessmentDocument>;

  constructor(db: Db) {
    this.col = db.collection<AssessmentDocument>(ASSESSMENTS_COLLECTION);
  }

  insert(doc: AssessmentDocument): Promise<void> {
    return guardStore('insert assessment', async () => {
      await this.col.insertOne(doc);
    });
  }

  /** The assessment when it exists and belongs to `organisation`; null otherwise (indistinguishable). */
  find(organisation: string, id: string): Promise<AssessmentDocument | null> {
    return guardStore('find assessment', () => this.col.findOne({ _id: id, organisation }));
  }

  /** By id alone: for a candidate whose invite names it. */
  findById(id: string): Promise<AssessmentDocument | null> {
    return guardStore('find assessment', () => this.col.findOne({ _id: id }));
  }

  /** The organisation's assessments, newest first. */
  list(organisation: string): Promise<AssessmentDocument[]> {
    return guardStore('list assessments', () =>
      this.col.find({ organisation }).sort({ created_at: -1 }).toArray(),
    );
  }
}
