'use strict';
// Output flood: 64 MiB on stdout and 64 MiB on stderr as fast as possible, then serves.
const fs = require('node:fs');
const kit = require('./kit');

const line = Buffer.from(`${'x'.repeat(65535)}\n`);
let written = 0;
for (let i = 0; i < 1024; i++) {
  written += fs.writeSync(1, line);
  written += fs.writeSync(2, line);
}
kit.report('output-flood', { written });
kit.serve();
