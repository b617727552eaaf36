'use strict';
// Cross-run leftovers: looks for markers an earlier run of this submission left in every writable place
// (tmpfs, /dev/shm, an abstract UNIX socket), then leaves its own, and looks for other runs' work folders.
const fs = require('node:fs');
const net = require('node:net');
const kit = require('./kit');

const MARK = 'stackgrade-attack-cross-run-marker';
const seen = {
  tmp: fs.existsSync(`/tmp/${MARK}`),
  shm: fs.existsSync(`/dev/shm/${MARK}`),
};
const abstract = `\0${MARK}`;
const probe = net.connect({ path: abstract });
probe.once('connect', () => finish(true));
probe.once('error', () => finish(false));
function finish(socketSeen) {
  probe.destroy();
  seen.abstractSocket = socketSeen;
  for (const p of [`/tmp/${MARK}`, `/dev/shm/${MARK}`])
    try {
      fs.writeFileSync(p, 'left behind');
    } catch {
      // a read-only place: nothing left there
    }
  net.createServer(() => {}).listen({ path: abstract });
  let others;
  try {
    others = fs.readdirSync('/var/lib/stackgrade/work');
  } catch (e) {
    others = kit.errorCode(e);
  }
  kit.report('cross-run', { seen, otherRuns: others, parent: fs.readdirSync('/app/..') });
  kit.serve();
}
