/**
 * Hidden tests of `catalog-search` (never served to candidates; bundled into the grader image). Check ids and
 * order match challenge.yaml; performance runs last.
 */
import { runSuite } from '../../../grader';
import { apiDesignChecks } from './api-design';
import { correctnessChecks } from './correctness';
import { prepare } from './fixtures';
import { performanceChecks } from './performance';
import { queryChecks } from './query-optimization';
import { securityChecks } from './security';

void runSuite({
  healthPath: '/health',
  prepare,
  checks: [...correctnessChecks, ...apiDesignChecks, ...queryChecks, ...securityChecks, ...performanceChecks],
});
