import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import type { ChallengeCatalog } from '../runner/contract/challenge-catalog';
import { AssessmentStore } from './data-access/assessment-store';
import { ChallengeSettingsStore } from './data-access/challenge-settings-store';
import { InviteStore } from './data-access/invite-store';
import { SigningKeyStore } from './data-access/signing-key-store';
import { SubmissionReader } from './data-access/submission-reader';
import { Assessments } from './domain/assessments';
import { WebhookDispatcher, type DeliveryPolicy } from './webhooks/delivery-queue';
import { WebhookStore } from './webhooks/webhook-store';
import { onSubmissionFinished } from './webhooks/submission-events';

/** The organisation side of the API: assessments, invites, challenge settings and webhooks over one database. */
export interface OrgServices {
  assessmentStore: AssessmentStore;
  invites: InviteStore;
  submissionReader: SubmissionReader;
  challengeSettings: ChallengeSettingsStore;
  webhookStore: WebhookStore;
  /** Public keys reports are signed with (published by runners). */
  signingKeys: SigningKeyStore;
  dispatcher: WebhookDispatcher;
  assessments: Assessments;
  /** Publishes the events of a submission that became final (the runner calls it). */
  submissionFinished(submissionId: string): Promise<void>;
  /** Creates the indexes the lookups rely on (idempotent). */
  ensureIndexes(): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link createOrgServices}. */
export interface OrgServicesOptions {
  db: Db;
  catalog: ChallengeCatalog;
  redisUrl: string;
  logger: Logger;
  /** Invite links are `<inviteLinkBase><token>`. */
  inviteLinkBase: string;
  webhookQueueName?: string;
  deliveryPolicy?: DeliveryPolicy;
}

/** Builds {@link OrgServices}; opens the webhook queue's Redis connection. */
export function createOrgServices(opts: OrgServicesOptions): OrgServices {
  const assessmentStore = new AssessmentStore(opts.db);
  const invites = new InviteStore(opts.db);
  const submissionReader = new SubmissionReader(opts.db);
  const challengeSettings = new ChallengeSettingsStore(opts.db);
  const webhookStore = new WebhookStore(opts.db);
  const signingKeys = new SigningKeyStore(opts.db);
  const dispatcher = new WebhookDispatcher({
    store: webhookStore,
    redisUrl: opts.redisUrl,
    logger: opts.logger,
    ...(opts.webhookQueueName ? { queueName: opts.webhookQueueName } : {}),
    ...(opts.deliveryPolicy ? { policy: opts.deliveryPolicy } : {}),
  });
  const assessments = new Assessments({
    assessments: assessmentStore,
    invites,
    submissions: submissionReader,
    catalog: opts.catalog,
    events: dispatcher,
    inviteLinkBase: opts.inviteLinkBase,
    logger: opts.logger,
  });
  return {
    assessmentStore,
    invites,
    submissionReader,
    challengeSettings,
    webhookStore,
    signingKeys,
    dispatcher,
    assessments,
    submissionFinished: (id) =>
      onSubmissionFinished(
        {
          db: opts.db,
          events: dispatcher,
          assessmentStore,
          invites,
          submissions: submissionReader,
          assessments,
          challengeOwner: (c) => opts.catalog.get(c)?.manifest.owner,
        },
        id,
      ),
    async ensureIndexes() {
      await invites.col.createIndex({ token_sha256: 1 }, { unique: true });
      await invites.col.createIndex({ session_sha256: 1 });
      await webhookStore.deliveries.createIndex({ webhook_id: 1, created_at: -1 });
    },
    close: () => dispatcher.close(),
  };
}
