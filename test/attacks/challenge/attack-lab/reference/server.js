'use strict';
// Reference solution of attack-lab: node:http and pg, one statement per request.
const http = require('node:http');
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(data));
      } catch (err) {
        reject(err);
      }
    });
  });
}

const server = http.createServer(async (req, res) => {
  try {
    if (req.method === 'GET' && req.url === '/health') return send(res, 200, { status: 'ok' });
    if (req.method === 'GET' && req.url === '/notes') {
      const r = await pool.query('SELECT id, body FROM notes ORDER BY id');
      return send(res, 200, r.rows);
    }
    if (req.method === 'POST' && req.url === '/notes') {
      const body = await readJson(req).catch(() => null);
      if (!body || typeof body.body !== 'string') return send(res, 422, { title: 'body is required' });
      const r = await pool.query('INSERT INTO notes (body) VALUES ($1) RETURNING id, body', [body.body]);
      return send(res, 201, r.rows[0]);
    }
    send(res, 404, { title: 'not found' });
  } catch {
    send(res, 500, { title: 'internal error' });
  }
});
server.listen(Number(process.env.PORT || 8080), '0.0.0.0');
