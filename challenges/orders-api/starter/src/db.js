'use strict';
const { Pool } = require('pg');

// One pool for the whole process. DATABASE_URL is set by the runner (no SSL).
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
pool.on('error', (err) => console.error('idle database connection failed:', err.message));

module.exports = { pool };
