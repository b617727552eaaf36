'use strict';
// Shared helper the attack suite adds to every hostile submission as `kit.js`: a /health-only HTTP service
// (what the starter does) and one-line reports `ATTACK <label> <json>` that the suite reads from the
// report's service log. The suite never trusts these reports for containment: host-side checks decide.
const http = require('node:http');

function report(label, data) {
  process.stdout.write(`ATTACK ${label} ${JSON.stringify(data)}\n`);
}

function errorCode(err) {
  return (err && (err.code || err.message)) || String(err);
}

/** Runs fn and returns 'ok' or the error code it threw. */
function attempt(fn) {
  try {
    fn();
    return 'ok';
  } catch (err) {
    return errorCode(err);
  }
}

const healthWaiters = [];
let healthAnswered = 0;

/**
 * Runs `fn` once the service has answered /health `n` times: the grader's readiness poll and its c-health
 * check are then done, so an attack launched here hits a run that is already grading (deterministic verdict).
 */
function afterHealth(n, fn) {
  healthWaiters.push({ n, fn });
}

/** Starts the service: /health answers {"status":"ok"}; `handle(req, res)` may answer other routes first. */
function serve(handle) {
  const server = http.createServer((req, res) => {
    if (handle && handle(req, res) === true) return;
    const ok = req.url === '/health';
    if (ok) {
      healthAnswered++;
      res.once('finish', () => {
        for (const w of healthWaiters.filter((x) => x.n === healthAnswered)) setTimeout(w.fn, 50);
      });
    }
    res.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(ok ? { status: 'ok' } : { title: 'not found' }));
  });
  server.listen(Number(process.env.PORT || 8080), '0.0.0.0');
  return server;
}

/**
 * A `serve` handler that answers every route but /health with 404 only after `ms`: keeps the grader busy so
 * an attack launched with afterHealth takes effect while the run is still grading.
 */
function slowNotFound(ms) {
  return (req, res) => {
    if (req.url === '/health') return false;
    setTimeout(() => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ title: 'not found' }));
    }, ms);
    return true;
  };
}

module.exports = { report, attempt, errorCode, serve, afterHealth, slowNotFound };
