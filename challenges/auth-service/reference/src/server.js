'use strict';
const http = require('node:http');
const { createApp } = require('./app');
const { pool, waitForDatabase, ensureIndexes } = require('./db');
const { redis } = require('./redis');
const { prepareDummyHash } = require('./passwords');

async function main() {
  for (const v of ['DATABASE_URL', 'REDIS_URL', 'JWT_SECRET'])
    if (!process.env[v]) throw new Error(`${v} is not set`);
  const port = Number(process.env.PORT || 8080);

  await waitForDatabase();
  await ensureIndexes();
  await prepareDummyHash();

  const server = http.createServer(createApp());
  server.on('error', (err) => {
    console.error('server error:', err.message);
    process.exit(1);
  });
  server.listen(port, '0.0.0.0', () => console.log(`auth-service listening on 0.0.0.0:${port}`));

  const shutdown = () => {
    server.close(() => Promise.allSettled([pool.end(), redis.quit()]).finally(() => process.exit(0)));
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
