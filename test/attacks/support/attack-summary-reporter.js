/**
 * Jest reporter of `npm run test:attacks`: prints a table of verdicts (one row per case: file, case,
 * passed/failed) and ends the run with exactly `N passed, N failed` as its last line (the attack suite's
 * pass rate, docs/sandbox.md, "Attack suite"). Printed when the process exits, after Jest's own summary
 * (stdout to a pipe or terminal is synchronous on Linux, so the lines are not lost).
 */
const path = require('node:path');

class AttackSummaryReporter {
  onRunComplete(_contexts, results) {
    const rows = [];
    for (const file of results.testResults) {
      const name = path.basename(file.testFilePath);
      if (file.testExecError) rows.push(`| ${name} | (suite did not run) | failed |`);
      for (const t of file.testResults)
        rows.push(`| ${name} | ${t.fullName.replace(/\|/g, '\\|')} | ${t.status} |`);
    }
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const table = ['| file | case | verdict |', '| --- | --- | --- |', ...rows].join('\n');
    const line = `${results.numPassedTests} passed, ${failed} failed\n`;
    process.once('exit', () => process.stdout.write(`\n${table}\n\n${line}`));
  }
}
module.exports = AttackSummaryReporter;
