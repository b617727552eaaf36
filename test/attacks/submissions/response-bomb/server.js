'use strict';
// Response bombs: /notes streams an endless chunked body, POST /notes trickles one byte a second.
const kit = require('./kit');

const chunk = Buffer.alloc(64 * 1024, 'x');
kit.serve((req, res) => {
  if (req.url !== '/notes') return false;
  res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
  if (req.method === 'POST') {
    const t = setInterval(() => res.write(' '), 1000);
    res.on('close', () => clearInterval(t));
  } else {
    const pump = () => {
      while (res.write(chunk));
    };
    res.on('drain', pump);
    pump();
  }
  return true;
});
kit.report('response-bomb', { ready: true });
