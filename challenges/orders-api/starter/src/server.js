'use strict';
const { createApp } = require('./app');
const { pool } = require('./db');

// The runner sets PORT and DATABASE_URL; GET /health must answer within 60 s of start.
// TODO (README.md, "Data model"): the tables only have their keys; create the indexes your queries need.
const port = Number(process.env.PORT || 8080);
const server = createApp().listen(port, '0.0.0.0', (err) => {
  if (err) throw err;
  console.log(`listening on 0.0.0.0:${port}`);
});

process.once('SIGTERM', () => {
  server.close(() => pool.end().finally(() => process.exit(0)));
  server.closeIdleConnections();
});
