/**
 * The grader SDK: what a challenge's hidden tests are written with. Probes return a {@link Verdict}
 * (pass/fail, a candidate-facing message, owner-facing evidence); `must(ctx, verdict)` records the evidence on
 * the running check and fails it. Folders: `http/` (API design probes), `postgres/` and `mongodb/` (query
 * work and plans), `redis/` (cache behaviour), `security/` (OWASP API Security Top 10 2023 probes),
 * `perf/` (reference-relative load, CPU per request).
 */
export {
  CheckFailure,
  NotAssessed,
  defineCheck,
  expect,
  type Check,
  type CheckContext,
  type PrepareContext,
} from './check';
export { allOf, failed, must, passed, type OwaspApiId, type Verdict } from './verdict';
export { Random } from './random';
export { orderChecks, runSuite, waitForHealth, type SuiteOptions } from './suite';
export {
  serviceOf,
  type MongodbService,
  type PostgresService,
  type RedisService,
  type ServiceProbe,
  type ServiceProbes,
} from './services';

export {
  connectionLost,
  HttpClient,
  HttpError,
  mediaType,
  type Exchange,
  type HttpRequest,
  type HttpResponse,
} from './http/client';
export { statusIn } from './http/status';
export { contentTypeIn } from './http/content-type';
export { problemDefect, problemJson } from './http/problem-json';
export {
  createForFixture,
  createdId,
  type FixtureCreateOptions,
  type FixtureCreated,
} from './http/create-for-fixture';
export { createdWithLocation, type CreatedWithLocationOptions } from './http/create-location';
export { methodNotAllowed, type MethodProbe } from './http/method-not-allowed';
export { validationErrors, type ValidationCase, type ValidationOptions } from './http/validation-errors';
export {
  cursorStyle,
  linkHeaderStyle,
  pageNumberStyle,
  paginationIntegrity,
  walkCollection,
  type PageRead,
  type PaginationStyle,
  type WalkOptions,
  type WalkResult,
} from './http/pagination';
export { conditionalGet, type ConditionalGetOptions } from './http/conditional-get';
export { idempotentCreate, type IdempotencyOptions } from './http/idempotency';

export { PgProbe, quoteIdent, type DbDelta, type StatementDelta } from './postgres/pg-probe';
export {
  analyzePlan,
  filterColumns,
  walkPlan,
  type PlanFinding,
  type PlanThresholds,
} from './postgres/plan-analysis';
export { capturePlans, parseAutoExplainLog, type CapturedPlan } from './postgres/captured-plans';
export {
  blocksWithin,
  deltaSummary,
  measureRequest,
  nPlusOne,
  type NPlusOneOptions,
} from './postgres/n-plus-one';
export { foreignKeysWithoutIndex, indexLeadingWith, listIndexes, type IndexInfo } from './postgres/indexes';

export { explainStats, profileStats, scanRatio, type MongoOpStats } from './mongodb/explain-analysis';
export { profileOps, profilerSupported, type ProfiledOp } from './mongodb/profiler';
export { countCommands, type CommandCounts } from './mongodb/command-counter';
export { mongoNPlusOne, type MongoNPlusOneOptions } from './mongodb/n-plus-one';
export { listMongoIndexes, mongoIndexLeadingWith, type MongoIndex } from './mongodb/indexes';
export { indexedMongoReads, type IndexedReadOptions } from './mongodb/scan-checks';

export { parseInfo, readStats, statsDelta, type RedisStats } from './redis/info-stats';
export { cacheExpires, cacheHit, keysExpire, type CacheHitOptions } from './redis/cache-checks';

export { sqlInjection, type SqlInjectionOptions } from './security/sql-injection';
export {
  NOSQL_OPERATOR_PAYLOADS,
  nosqlOperatorInjection,
  type NosqlInjectionOptions,
} from './security/nosql-injection';
export { bola, type BolaOptions } from './security/bola';
export { massAssignment, type MassAssignmentOptions } from './security/mass-assignment';
export { decodeJwt, forgeJwts, signHs256, type ForgedToken } from './security/jwt-forge';
export { jwtTampering, type JwtTamperingOptions } from './security/jwt-tampering';
export { loginRateLimit, type LoginRateLimitOptions } from './security/login-rate-limit';
export {
  ARGON2_EQUIVALENTS,
  assessPasswordHash,
  HASH_MINIMUMS,
  SCRYPT_EQUIVALENTS,
  passwordStorage,
  type HashAssessment,
} from './security/password-storage';
export { errorLeakage, LEAK_PATTERNS, leakOf, listed } from './security/error-leakage';
export {
  BAD_INPUT_CLASSES,
  countByClass,
  generateBadInputs,
  type BadInput,
  type BadInputClass,
  type BadInputSpec,
} from './http/bad-input';
export { securityHeaders } from './security/security-headers';
export { HOSTILE_ORIGINS, permissiveCors } from './security/cors';

export { compareThroughput, type ThroughputOptions } from './perf/compare-throughput';
export { cgroupCpuUsec, cpuPerRequest } from './perf/cgroup-cpu';
