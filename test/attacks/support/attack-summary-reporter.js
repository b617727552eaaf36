/**
 * Jest reporter of `npm run test:attacks`: ends the run with exactly `N passed, N failed` as its last line
 * (the attack suite's pass rate, docs/sandbox.md, "Attack suite"). Printed when the process exits, after
 * Jest's own summary (stdout to a pipe or terminal is synchronous on Linux, so the line is not lost).
 */
class AttackSummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `${results.numPassedTests} passed, ${failed} failed\n`;
    process.once('exit', () => process.stdout.write(line));
  }
}
module.exports = AttackSummaryReporter;
