/** The grader SDK: what a challenge's hidden tests are written with. */
export { CheckFailure, defineCheck, expect, type Check, type CheckContext } from './check';
export { HttpClient, HttpError, mediaType, type HttpRequest, type HttpResponse } from './http-client';
export { PgProbe, walkPlan, quoteIdent, type DbDelta, type PlanFinding } from './pg-probe';
export { compareThroughput, type ThroughputOptions } from './perf';
export { Random } from './random';
export { runSuite, waitForHealth, type SuiteOptions } from './suite';
