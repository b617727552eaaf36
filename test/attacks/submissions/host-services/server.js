'use strict';
// The host's services: Redis (6379), the MongoDB-compatible store (27017) and the Docker API (2375/2376)
// on the Docker bridge gateway, the host's own address and the pod loopback, plus the Docker socket paths.
// Every connection that opens gets a Redis SET of the suite's token, which the suite then looks for.
const fs = require('node:fs');
const net = require('node:net');
const kit = require('./kit');
const targets = require('./targets.json');

function poke(host, port) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const t = setTimeout(() => (s.destroy(), resolve('timeout')), 3000);
    s.once('connect', () => {
      s.end(`SET ${targets.redisKey} pwned\r\nGET / HTTP/1.0\r\n\r\n`);
      clearTimeout(t);
      resolve('connected');
    });
    s.once('error', (e) => (clearTimeout(t), resolve(kit.errorCode(e))));
  });
}
function unixSocket(p) {
  return new Promise((resolve) => {
    const s = net.connect({ path: p });
    s.once('connect', () => (s.destroy(), resolve('connected')));
    s.once('error', (e) => resolve(kit.errorCode(e)));
  });
}

(async () => {
  const result = {};
  for (const host of [...targets.hosts, '127.0.0.1'])
    for (const port of [6379, 27017, 2375, 2376]) result[`${host}:${port}`] = await poke(host, port);
  for (const p of ['/var/run/docker.sock', '/run/docker.sock', '/var/run/docker/containerd/containerd.sock'])
    result[p] = fs.existsSync(p) ? await unixSocket(p) : 'ENOENT';
  kit.report('host-services', result);
  kit.serve();
})();
