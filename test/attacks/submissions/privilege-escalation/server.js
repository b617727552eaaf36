'use strict';
// Privilege escalation: setuid(0), the setuid-root binaries of the image (su, mount…), mount and user
// namespaces, and what capabilities the process holds.
const { execFileSync, execSync } = require('node:child_process');
const fs = require('node:fs');
const kit = require('./kit');

const sh = (cmd) => {
  try {
    return `ok ${execSync(cmd, { timeout: 5000, stdio: ['ignore', 'pipe', 'pipe'] })
      .toString()
      .trim()
      .slice(0, 300)}`;
  } catch (e) {
    return `fail ${((e.stderr || '').toString() || kit.errorCode(e)).trim().slice(0, 200)}`;
  }
};
const status = fs.readFileSync('/proc/self/status', 'utf8');
const field = (k) => (status.match(new RegExp(`${k}:\\s*(\\w+)`)) || [])[1] || null;
kit.report('privilege-escalation', {
  uid: process.getuid(),
  capEff: field('CapEff'),
  capPrm: field('CapPrm'),
  capBnd: field('CapBnd'),
  noNewPrivs: field('NoNewPrivs'),
  setuid0: kit.attempt(() => process.setuid(0)),
  setgid0: kit.attempt(() => process.setgid(0)),
  suidFiles: sh('find / -xdev -perm -4000 -type f 2>/dev/null').split('\n').length,
  su: sh('su -c id root </dev/null'),
  mount: sh('mkdir -p /tmp/m && mount -t tmpfs none /tmp/m && echo mounted'),
  unshare: sh('unshare -Ur id -u'),
  unshareMount: sh(
    'mkdir -p /tmp/n && unshare -Urm sh -c "mount -t tmpfs none /tmp/n && echo mounted-in-userns"',
  ),
  idAfter: execFileSync('id', ['-u']).toString().trim(),
});
kit.serve();
