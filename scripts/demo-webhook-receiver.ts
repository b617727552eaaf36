/**
 * The demo's webhook receiver: an HTTP server on 127.0.0.1 that verifies every delivery with the
 * `standardwebhooks` package (the Standard Webhooks specification's reference library: `webhook-id`,
 * `webhook-timestamp`, `webhook-signature`, HMAC-SHA256) and keeps the verified events by id.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One verified delivery: its `webhook-id` and the event's type and data. */
export interface ReceivedEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
}

/** A running receiver; `setSecret` must be called (with the `whsec_…` secret) before deliveries arrive. */
export interface DemoReceiver {
  url: string;
  events: ReceivedEvent[];
  /** Deliveries refused because their signature did not verify. */
  refused: number;
  setSecret(secret: string): void;
  close(): Promise<void>;
}

/** Starts the receiver on an ephemeral port of 127.0.0.1. */
export async function startDemoReceiver(): Promise<DemoReceiver> {
  let verifier: Webhook | null = null;
  const seen = new Set<string>();
  const state: DemoReceiver = {
    url: '',
    events: [],
    refused: 0,
    setSecret: (s) => {
      verifier = new Webhook(s);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      try {
        if (!verifier) throw new Error('no secret yet');
        const headers = Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
        );
        const event = verifier.verify(body, headers) as { type: string; data: Record<string, unknown> };
        const id = headers['webhook-id']!;
        if (!seen.has(id)) {
          seen.add(id);
          state.events.push({ id, type: event.type, data: event.data });
        }
        res.writeHead(204).end();
      } catch {
        state.refused++;
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return state;
}
