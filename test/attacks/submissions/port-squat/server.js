'use strict';
// Port squatting: tries to bind the database's port (and its reference twin's, and other services')
// on the pod's loopback and on every address, to impersonate the database or the grader.
const net = require('node:net');
const kit = require('./kit');

function bind(port, host) {
  return new Promise((resolve) => {
    const s = net.createServer((c) => c.end());
    s.once('error', (e) => resolve(kit.errorCode(e)));
    s.listen({ port, host, exclusive: false }, () => resolve('bound'));
  });
}
(async () => {
  const result = {};
  for (const port of [5432, 5433, 6379, 27017])
    for (const host of ['127.0.0.1', '0.0.0.0']) result[`${host}:${port}`] = await bind(port, host);
  kit.report('port-squat', result);
  kit.serve();
})();
