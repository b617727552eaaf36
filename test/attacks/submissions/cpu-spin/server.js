'use strict';
// CPU spin: three worker threads and the main thread spin forever; the service never answers.
const { Worker } = require('node:worker_threads');
const kit = require('./kit');

for (let i = 0; i < 3; i++) new Worker('for (;;) {}', { eval: true });
kit.report('cpu-spin', { workers: 3 });
kit.serve();
setTimeout(() => {
  for (;;) {
    // spin the event loop: /health never gets an answer
  }
}, 10);
