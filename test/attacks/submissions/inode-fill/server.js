'use strict';
// Inode fill: creates empty files in /tmp and /dev/shm until creation fails.
const fs = require('node:fs');
const kit = require('./kit');

const result = {};
for (const dir of ['/tmp', '/dev/shm']) {
  let files = 0;
  let error = null;
  try {
    for (; files < 20000; files++) fs.closeSync(fs.openSync(`${dir}/i${files}`, 'w'));
  } catch (e) {
    error = kit.errorCode(e);
  }
  result[dir] = { files, error };
}
kit.report('inode-fill', result);
kit.serve();
