'use strict';
// Killing and flooding the grader, once grading is under way: floods every loopback port it finds open
// with connections, then SIGKILLs every other process it can name (every /proc pid, kill -1,
// pkill -f grader) and finally the container's init.
const { execSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const kit = require('./kit');

function probe(port) {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      for (let i = 0; i < 50; i++) net.connect({ port, host: '127.0.0.1' }).on('error', () => {});
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

kit.serve(kit.slowNotFound(3000));
kit.afterHealth(2, async () => {
  const open = [];
  for (const port of [5432, 5433, 8081, 9229, 9230, 3000, 80, 443]) if (await probe(port)) open.push(port);
  const pids = fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
  kit.report('kill-grader', { open, pids });
  const killed = {};
  for (const pid of pids)
    if (pid !== process.pid && pid !== 1) killed[pid] = kit.attempt(() => process.kill(pid, 'SIGKILL'));
  killed.pkill = kit.attempt(() => execSync('pkill -9 -f grader', { stdio: 'ignore' }));
  kit.report('kill-grader-kills', killed);
  kit.attempt(() => execSync('kill -9 -1', { stdio: 'ignore' }));
  kit.attempt(() => process.kill(1, 'SIGKILL'));
});
