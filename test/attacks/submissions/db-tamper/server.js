'use strict';
// Database tampering to fake a result: serves the notes correctly but with one statement per note (which
// q-notes-list-statements must catch), and tries to hide that by resetting or disabling the statistics,
// replacing the view the grader reads, becoming superuser, rewriting the canary and killing the grader's
// connections.
const { Pool } = require('pg');
const kit = require('./kit');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
const tries = {
  reset: 'SELECT pg_stat_statements_reset()',
  trackNone: "SET pg_stat_statements.track = 'none'",
  alterSystem: "ALTER SYSTEM SET pg_stat_statements.track = 'none'",
  dropView: 'DROP VIEW public.pg_stat_statements',
  shadowView: 'CREATE VIEW public.pg_stat_statements_shadow AS SELECT 1',
  dropExtension: 'DROP EXTENSION pg_stat_statements',
  superuser: 'ALTER ROLE app SUPERUSER',
  setRole: 'SET ROLE stackgrade_admin',
  sessionAuth: 'SET SESSION AUTHORIZATION stackgrade_admin',
  canary: "UPDATE stackgrade_private.canary SET v = 'forged'",
  readCanary: 'SELECT v FROM stackgrade_private.canary',
  program: "COPY notes (body) FROM PROGRAM 'id'",
  readFile: "SELECT pg_read_file('/etc/passwd')",
  terminate: 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()',
  createRole: 'CREATE ROLE sneaky SUPERUSER LOGIN',
};
async function tamper() {
  const out = {};
  for (const [k, sql] of Object.entries(tries)) {
    try {
      const r = await pool.query(sql);
      out[k] = `ok ${JSON.stringify(r.rows).slice(0, 100)}`;
    } catch (e) {
      out[k] = `ERR ${e.message.slice(0, 120)}`;
    }
  }
  return out;
}
function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
(async () => {
  kit.report('db-tamper', await tamper());
  kit.serve((req, res) => {
    if (req.url !== '/notes') return false;
    (async () => {
      if (req.method === 'POST') {
        let data = '';
        for await (const c of req) data += c;
        const r = await pool.query('INSERT INTO notes (body) VALUES ($1) RETURNING id, body', [
          JSON.parse(data).body,
        ]);
        return send(res, 201, r.rows[0]);
      }
      const ids = (await pool.query('SELECT id FROM notes ORDER BY id')).rows;
      const notes = [];
      for (const { id } of ids)
        notes.push((await pool.query('SELECT id, body FROM notes WHERE id = $1', [id])).rows[0]);
      await pool.query('SELECT pg_stat_statements_reset()').catch(() => {});
      send(res, 200, notes);
    })().catch((e) => send(res, 500, { title: e.message }));
    return true;
  });
})();
