'use strict';
// Disk fill: writes 1 MiB chunks into every path it can think of until the writes fail.
const fs = require('node:fs');
const path = require('node:path');
const kit = require('./kit');

const chunk = Buffer.alloc(1024 * 1024, 7);
const result = {};
for (const dir of [
  '/tmp',
  process.env.HOME || '/tmp',
  process.cwd(),
  '/var/tmp',
  '/dev/shm',
  '/',
  '/node_modules',
  '/home',
]) {
  let bytes = 0;
  let error = null;
  try {
    for (let f = 0; f < 64 && !error; f++) {
      const fd = fs.openSync(path.join(dir, `fill-${f}-${Math.random()}`), 'w');
      try {
        for (let i = 0; i < 4; i++) bytes += fs.writeSync(fd, chunk);
      } finally {
        fs.closeSync(fd);
      }
    }
  } catch (e) {
    error = kit.errorCode(e);
  }
  result[`${dir}#${Object.keys(result).length}`] = { bytes, error };
}
kit.report('disk-fill', result);
kit.serve();
