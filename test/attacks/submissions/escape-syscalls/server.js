'use strict';
// Escape syscalls: runs a shipped C probe (escsys, compiled by the suite, started through the dynamic loader
// because /app is read-only and unexecutable) that calls unshare/clone with namespace flags, clone3, setns,
// mount, keyctl, add_key, bpf, perf_event_open, ptrace, io_uring_setup, open_by_handle_at, userfaultfd,
// AF_ALG/AF_VSOCK sockets and clock_settime, and reports each result. A worker thread proves threads work.
const { execFileSync } = require('node:child_process');
const { Worker } = require('node:worker_threads');
const kit = require('./kit');

let probe;
try {
  probe = JSON.parse(
    execFileSync('/lib64/ld-linux-x86-64.so.2', ['/app/escsys'], { timeout: 5000 }).toString(),
  );
} catch (e) {
  probe = { error: kit.errorCode(e) };
}
new Worker('require("node:worker_threads").parentPort.postMessage(6 * 7)', { eval: true }).once(
  'message',
  (answer) => {
    kit.report('escape-syscalls', { ...probe, workerThread: answer });
    kit.serve();
  },
);
