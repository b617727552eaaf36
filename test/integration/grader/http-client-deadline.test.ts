/**
 * The grader's HTTP client bounds a whole exchange, not only idle time: a service that trickles its body
 * (one byte every 200 ms, forever) gets an HttpError once the request's budget is spent.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient, HttpError } from '../../../grader';

describe('HttpClient request deadline', () => {
  let server: http.Server;
  let client: HttpClient;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url === '/fast') return void res.end('{"ok":true}');
      const t = setInterval(() => res.write(' '), 200);
      res.on('close', () => clearInterval(t));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    client = new HttpClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('a trickled body that never ends fails with HttpError naming the budget', async () => {
    await expect(client.request({ path: '/trickle', timeoutMs: 1000 })).rejects.toThrow(HttpError);
    await expect(client.request({ path: '/trickle', timeoutMs: 1000 })).rejects.toThrow(
      /no complete answer within 1000 ms/,
    );
  }, 30_000); // without a total deadline the request would never end

  it('a complete answer within the budget is returned as usual', async () => {
    const r = await client.request({ path: '/fast', timeoutMs: 1000 });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ ok: true });
  });
});
