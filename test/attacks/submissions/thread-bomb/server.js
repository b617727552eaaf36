'use strict';
// Thread bomb, launched once grading is under way: worker threads that sleep forever, until refused.
const { Worker } = require('node:worker_threads');
const kit = require('./kit');

kit.serve(kit.slowNotFound(3000));
kit.afterHealth(2, () => {
  kit.report('thread-bomb', { start: true });
  let error = null;
  const more = () => {
    if (error) return;
    try {
      new Worker('setInterval(() => {}, 1e9)', {
        eval: true,
        resourceLimits: { maxOldGenerationSizeMb: 8 },
      }).on('error', (e) => (error = error || kit.errorCode(e)));
    } catch (e) {
      error = kit.errorCode(e);
    }
    setImmediate(more);
  };
  more();
});
