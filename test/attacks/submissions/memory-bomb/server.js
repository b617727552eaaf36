'use strict';
// Memory bomb, launched once grading is under way: allocates and touches 16 MiB buffers outside the V8
// heap every 10 ms until the kernel stops it.
const kit = require('./kit');

kit.serve(kit.slowNotFound(3000));
kit.afterHealth(2, () => {
  kit.report('memory-bomb', { start: true });
  const hoard = [];
  setInterval(() => hoard.push(Buffer.alloc(16 * 1024 * 1024, 1)), 10);
});
