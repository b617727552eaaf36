'use strict';
// File-descriptor exhaustion: opens /dev/null until refused, keeps most of them open, then serves.
const fs = require('node:fs');
const kit = require('./kit');

const fds = [];
let error = null;
try {
  for (let i = 0; i < 1000000; i++) fds.push(fs.openSync('/dev/null', 'r'));
} catch (e) {
  error = kit.errorCode(e);
}
kit.report('fd-exhaustion', { opened: fds.length, error });
for (const fd of fds.splice(0, 64)) fs.closeSync(fd);
kit.serve();
