'use strict';
// Starter of attack-lab: answers only /health.
const http = require('node:http');

http
  .createServer((req, res) => {
    const ok = req.url === '/health';
    res.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(ok ? { status: 'ok' } : { title: 'not found' }));
  })
  .listen(Number(process.env.PORT || 8080), '0.0.0.0');
