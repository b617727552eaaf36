/**
 * Jest reporter of `npm run test:attacks`: ends the run with exactly `N passed, N failed` as its last line
 * (the attack suite's pass rate, sandbox-security.md §7).
 */
class AttackSummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stdout.write(`\n${results.numPassedTests} passed, ${failed} failed\n`);
  }
}
module.exports = AttackSummaryReporter;
