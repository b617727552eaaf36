// Starter of three-engines: answers its health check; everything else is to be written.
const http = require('node:http');

http
  .createServer((req, res) => {
    const ok = req.method === 'GET' && req.url === '/health';
    res.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(ok ? { status: 'ok' } : { title: 'not found' }));
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
