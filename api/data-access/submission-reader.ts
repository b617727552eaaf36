import type { Collection, Db } from 'mongodb';
import type { SubmissionDocument } from '../../runner/contract/submission.schema';
import { guardStore } from './store-guard';
import { SUBMISSIONS_COLLECTION } from './submission-store';

/** Submission listings of assessments (the `submissions` collection, read only). */
export class SubmissionReader {
  private readonly col: Collection<SubmissionDocument>;

  constructor(db: Db) {
    this.col = db.collection<SubmissionDocument>(SUBMISSIONS_COLLECTION);
  }

  /** A candidate's submissions, oldest first, without reports. Throws AppError `STORE_UNAVAILABLE`. */
  listForInvite(inviteId: string): Promise<SubmissionDocument[]> {
    return guardStore('list submissions', () =>
      this.col.find({ 'assessment.invite_id': inviteId }).sort({ created_at: 1 }).toArray(),
    );
  }

  /** Every submission of an assessment, oldest first. Throws AppError `STORE_UNAVAILABLE`. */
  listForAssessment(organisation: string, assessmentId: string): Promise<SubmissionDocument[]> {
    return guardStore('list submissions', () =>
      this.col
        .find({ 'assessment.organisation': organisation, 'assessment.assessment_id': assessmentId })
        .sort({ created_at: 1 })
        .toArray(),
    );
  }
}
