'use strict';
// Database connection flood: opens as many connections as the server accepts and holds them, so the
// grader could not connect, then serves /health.
const { Client } = require('pg');
const kit = require('./kit');

(async () => {
  const held = [];
  let error = null;
  for (let i = 0; i < 120 && !error; i++) {
    const c = new Client({ connectionString: process.env.DATABASE_URL });
    try {
      await c.connect();
      held.push(c);
    } catch (e) {
      error = e.message.slice(0, 120);
    }
  }
  kit.report('db-connection-flood', { held: held.length, error });
  kit.serve();
})();
