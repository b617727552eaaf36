'use strict';
// Ignores every catchable signal (the start command also traps them in the shell) and keeps running.
const kit = require('./kit');

for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'])
  process.on(s, () => kit.report('signal', { s }));
kit.serve();
kit.report('ignore-sigterm', { pid: process.pid });
