/**
 * Hidden tests of `auth-service` (never served to candidates; bundled into the grader image). Check ids
 * match challenge.yaml; the throttling probes run last (they lock accounts and clients), performance before.
 */
import { runSuite } from '../../../grader';
import { apiDesignChecks } from './api-design';
import { correctnessChecks } from './correctness';
import { performanceChecks } from './performance';
import { queryChecks } from './query-optimization';
import { lastSecurityChecks } from './last-probes';
import { securityChecks } from './security';

void runSuite({
  healthPath: '/health',
  checks: [
    ...correctnessChecks,
    ...apiDesignChecks,
    ...queryChecks,
    ...securityChecks,
    ...lastSecurityChecks,
    ...performanceChecks,
  ],
});
