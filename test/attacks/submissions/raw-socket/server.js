'use strict';
// Raw sockets: runs a shipped C probe (rawsock, compiled by the suite) that opens AF_INET SOCK_RAW and
// AF_PACKET sockets and sends an ICMP echo to the suite's canary. Node cannot open raw sockets itself, so the
// probe is started every way a candidate could: directly (no exec bit, read-only mount), copied to /tmp
// (noexec) and through the dynamic loader, which ignores both.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const kit = require('./kit');
const targets = require('./targets.json');

const run = (file, args) => {
  try {
    return execFileSync(file, args, { timeout: 5000 }).toString().trim();
  } catch (e) {
    return `${kit.errorCode(e)} ${(e.stdout || '').toString().trim()}`;
  }
};
const host = targets.tcp[0].host;
const result = {
  capEff: (fs.readFileSync('/proc/self/status', 'utf8').match(/CapEff:\s*(\w+)/) || [])[1],
  direct: run('/app/rawsock', [host]),
  copy: (() => {
    try {
      fs.copyFileSync('/app/rawsock', '/tmp/rawsock');
      fs.chmodSync('/tmp/rawsock', 0o755);
      return run('/tmp/rawsock', [host]);
    } catch (e) {
      return kit.errorCode(e);
    }
  })(),
  loader: run('/lib64/ld-linux-x86-64.so.2', ['/app/rawsock', host]),
};
kit.report('raw-socket', result);
kit.serve();
