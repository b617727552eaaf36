/**
 * The grader's HTTP client tells a lost connection from a slow answer: HttpError carries the socket error's
 * code, and connectionLost() is true for a refused port and a dropped connection only (the grader reports
 * `service_down` from it, and the runner then waits for the candidate's exit).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { connectionLost, HttpClient, HttpError } from '../../../grader';
import { freePort } from './support';

async function failureOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('the request did not fail');
}

describe('HttpClient connection failures', () => {
  let server: http.Server;
  let client: HttpClient;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/drop') return void req.socket.destroy();
      if (req.url === '/hang') return; // never answers
      res.writeHead(500).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    client = new HttpClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('a port nothing listens on: HttpError ECONNREFUSED, a lost connection', async () => {
    const c = new HttpClient(`http://127.0.0.1:${await freePort()}`);
    const err = await failureOf(c.request({ path: '/health', timeoutMs: 2000 }));
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).code).toBe('ECONNREFUSED');
    expect(connectionLost(err)).toBe(true);
  });

  it('a connection the service drops before answering: HttpError ECONNRESET, a lost connection', async () => {
    const err = await failureOf(client.request({ path: '/drop', timeoutMs: 2000 }));
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).code).toBe('ECONNRESET');
    expect(connectionLost(err)).toBe(true);
  });

  it('no answer within the budget: HttpError without a code, not a lost connection', async () => {
    const err = await failureOf(client.request({ path: '/hang', timeoutMs: 300 }));
    expect(err).toBeInstanceOf(HttpError);
    expect(connectionLost(err)).toBe(false);
  });

  it('an error status is an answer, and other errors are not lost connections', async () => {
    expect((await client.request({ path: '/500', timeoutMs: 2000 })).status).toBe(500);
    expect(connectionLost(new Error('ECONNREFUSED'))).toBe(false);
    expect(connectionLost(new HttpError('x', 'ETIMEDOUT'))).toBe(false);
  });
});
