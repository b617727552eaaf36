/**
 * Projects: `unit` (pure, fast), `integration` (real Docker, Redis, MongoDB-compatible store, PostgreSQL
 * pods), `attacks` (hostile submissions through the real runner, docs/sandbox.md, "Attack suite"),
 * `determinism` (ten gradings of one solution), `compose` (docker-compose.yml end to end) and `hosts` (two
 * runner hosts, the second on a Docker engine of its own). `npm test` runs the first three in band; the
 * reporter prints the closing `N passed, N failed` line.
 */
const transform = {
  '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }],
};
module.exports = {
  // Global (Jest reads testTimeout only at the top level): a grading run takes about a minute.
  testTimeout: 600000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    {
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
      transform,
      testEnvironment: 'node',
    },
    {
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      transform,
      testEnvironment: 'node',
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
    {
      displayName: 'attacks',
      testMatch: ['<rootDir>/test/attacks/**/*.test.ts'],
      transform,
      testEnvironment: 'node',
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
    {
      // Not in `npm test`: `npm run test:compose` (docker-compose.yml end to end; .ci/run runs it after).
      displayName: 'compose',
      testMatch: ['<rootDir>/test/compose/**/*.test.ts'],
      transform,
      testEnvironment: 'node',
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
    {
      // Not in `npm test` (a second Docker engine builds its images, several minutes): `npm run test:hosts`.
      displayName: 'hosts',
      testMatch: ['<rootDir>/test/hosts/**/*.test.ts'],
      transform,
      testEnvironment: 'node',
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
    {
      // Not in `npm test` (about ten minutes): `npm run test:determinism`.
      displayName: 'determinism',
      testMatch: ['<rootDir>/test/determinism/**/*.test.ts'],
      transform,
      testEnvironment: 'node',
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
  ],
};
