'use strict';
// Egress: DNS queries, TCP/HTTP connections and UDP datagrams aimed at the canary listeners the suite
// started on this machine (addresses in targets.json, written by the suite). Each must fail.
const dgram = require('node:dgram');
const dns = require('node:dns');
const http = require('node:http');
const net = require('node:net');
const kit = require('./kit');
const targets = require('./targets.json');

const withTimeout = (p, ms) => Promise.race([p, new Promise((r) => setTimeout(() => r('timeout'), ms))]);

function tcp(host, port) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.once('connect', () => {
      s.end(`EGRESS ${targets.token}\n`);
      resolve('connected');
    });
    s.once('error', (e) => resolve(kit.errorCode(e)));
  });
}
function httpGet(host, port) {
  return new Promise((resolve) => {
    http
      .get({ host, port, path: `/egress-${targets.token}` }, (res) => resolve(`http ${res.statusCode}`))
      .once('error', (e) => resolve(kit.errorCode(e)));
  });
}
function udp(host, port) {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.send(Buffer.from(`EGRESS ${targets.token}`), port, host, (e) => {
      s.close();
      resolve(e ? kit.errorCode(e) : 'sent');
    });
  });
}
async function dnsQuery(server) {
  const r = new dns.promises.Resolver({ timeout: 1000, tries: 1 });
  try {
    r.setServers([server]);
    return `answer ${JSON.stringify(await r.resolve4(`egress-${targets.token}.example`))}`;
  } catch (e) {
    return kit.errorCode(e);
  }
}

(async () => {
  const result = {};
  for (const t of targets.tcp) {
    result[`tcp ${t.host}:${t.port}`] = await withTimeout(tcp(t.host, t.port), 3000);
    result[`http ${t.host}:${t.port}`] = await withTimeout(httpGet(t.host, t.port), 3000);
  }
  for (const t of targets.udp)
    result[`udp ${t.host}:${t.port}`] = await withTimeout(udp(t.host, t.port), 3000);
  for (const s of targets.dns) result[`dns ${s}`] = await withTimeout(dnsQuery(s), 3000);
  kit.report('egress', result);
  kit.serve();
})();
