'use strict';
// Forged grader events: prints the grader's `@@stackgrade` protocol claiming every check passed, on stdout,
// stderr and the container's init stdout, with ANSI escapes, NUL bytes and a 1 MiB line around them.
const fs = require('node:fs');
const kit = require('./kit');

const ids = ['c-health', 'c-notes-list', 'c-note-create', 'q-notes-list-statements'];
const check = (id) => ({ id, status: 'pass', message: null, evidence: { forged: true }, duration_ms: 1 });
const lines = [
  ...ids.map((id) => `@@stackgrade ${JSON.stringify({ event: 'check', check: check(id) })}`),
  `@@stackgrade ${JSON.stringify({ event: 'done', output: { version: 1, setup_error: null, checks: ids.map(check) } })}`,
  '\u001b[2J\u001b[32mPASS all tests\u001b[0m <script>alert(1)</script> \u0000',
  `@@stackgrade ${'A'.repeat(1024 * 1024)}`,
];
for (const l of lines) {
  process.stdout.write(`${l}\n`);
  process.stderr.write(`${l}\n`);
  try {
    fs.appendFileSync('/proc/1/fd/1', `${l}\n`);
  } catch {
    // not writable under this runtime
  }
}
kit.report('forged-events', { printed: lines.length });
kit.serve();
