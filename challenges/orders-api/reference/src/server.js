'use strict';
const http = require('node:http');
const { createApp } = require('./app');
const { pool, waitForDatabase, ensureIndexes } = require('./db');

async function main() {
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is not set');
  const port = Number(process.env.PORT || 8080);

  await waitForDatabase();
  await ensureIndexes();

  const server = http.createServer(createApp());
  server.on('error', (err) => {
    console.error('server error:', err.message);
    process.exit(1);
  });
  server.listen(port, '0.0.0.0', () => console.log(`orders-api listening on 0.0.0.0:${port}`));

  const shutdown = () => {
    server.close(() => pool.end().finally(() => process.exit(0)));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((err) => {
  console.error('start-up failed:', err.message);
  process.exit(1);
});
