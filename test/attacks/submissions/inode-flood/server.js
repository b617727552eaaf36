'use strict';
// Inode flood, launched once grading is under way: creates empty files in /tmp, with no count cap, until
// creation fails or the sandbox dies, printing its progress every 10 000 files. Under gVisor the tmpfs
// ignores nr_inodes, so what stops it is the container's memory limit (each inode costs sentry memory).
const fs = require('node:fs');
const kit = require('./kit');

kit.serve(kit.slowNotFound(6000));
kit.afterHealth(2, () => {
  let files = 0;
  const batch = () => {
    try {
      for (const end = files + 2000; files < end; files++) fs.closeSync(fs.openSync(`/tmp/f${files}`, 'w'));
      if (files % 10000 === 0) kit.report('inode-flood', { files, error: null });
      setImmediate(batch);
    } catch (e) {
      kit.report('inode-flood', { files, error: kit.errorCode(e) });
    }
  };
  batch();
});
