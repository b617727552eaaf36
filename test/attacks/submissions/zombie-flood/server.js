'use strict';
// Zombies and escapees: a process that forks children and never reaps them, and double-forked daemons
// (setsid, nohup) meant to outlive the container. Kept below the pids limit: under gVisor every guest
// process costs 10-15 host threads of the sandbox, and reaching the limit kills the sandbox (fork-bomb).
const { execSync, spawn } = require('node:child_process');
const kit = require('./kit');

kit.serve(kit.slowNotFound(3000));
kit.afterHealth(2, () => {
  spawn('sh', ['-c', 'true & true & exec sleep 987652'], { stdio: 'ignore', detached: true }).on(
    'error',
    () => {},
  );
  spawn('sh', ['-c', '(setsid nohup sleep 987653 >/dev/null 2>&1 &)'], {
    stdio: 'ignore',
    detached: true,
  }).on('error', () => {});
  setTimeout(() => {
    let zombies = -1;
    try {
      zombies = Number(
        execSync("grep -l '^State:.*Z' /proc/[0-9]*/status 2>/dev/null | wc -l").toString().trim(),
      );
    } catch {
      // counted as -1
    }
    kit.report('zombie-flood', { zombies });
  }, 1000);
});
