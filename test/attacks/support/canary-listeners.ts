/**
 * Canary listeners for the egress attacks: TCP and UDP sockets the suite opens on this machine's own
 * addresses (the Docker bridge gateway and the host's primary IPv4), on a random port each and on port 53
 * (DNS) where it is free. Hostile submissions aim their egress attempts only at these; a contained run leaves
 * `hits` empty. Nothing here ever connects anywhere.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import os from 'node:os';

/** One thing a canary received: a TCP connection or a UDP datagram. */
export interface CanaryHit {
  proto: 'tcp' | 'udp';
  address: string;
  port: number;
  from: string;
}

/** An address and port a canary listens on. */
export interface CanaryTarget {
  host: string;
  port: number;
}

/** The Docker bridge gateway (`docker0`) and the first non-internal IPv4 of another interface. */
export function hostAddresses(): string[] {
  const out: string[] = [];
  const ifaces = os.networkInterfaces();
  const v4 = (name: string): string | undefined =>
    ifaces[name]?.find((a) => a.family === 'IPv4' && !a.internal)?.address;
  const gw = v4('docker0');
  if (gw) out.push(gw);
  for (const name of Object.keys(ifaces)) {
    if (name === 'docker0' || name.startsWith('veth') || name.startsWith('br-')) continue;
    const a = v4(name);
    if (a && !out.includes(a)) {
      out.push(a);
      break;
    }
  }
  return out;
}

/** TCP and UDP canaries on every {@link hostAddresses} address; `hits` records whatever reaches them. */
export class CanaryListeners {
  readonly hits: CanaryHit[] = [];
  readonly tcp: CanaryTarget[] = [];
  readonly udp: CanaryTarget[] = [];
  private readonly closers: (() => Promise<void>)[] = [];

  private constructor(readonly hosts: string[]) {}

  /** Opens the listeners; port 53 is skipped where it is taken or not permitted. */
  static async start(hosts: string[] = hostAddresses()): Promise<CanaryListeners> {
    const c = new CanaryListeners(hosts);
    for (const host of hosts) {
      for (const port of [0, 53]) {
        const t = await c.listenTcp(host, port).catch(() => null);
        if (t) c.tcp.push(t);
        const u = await c.listenUdp(host, port).catch(() => null);
        if (u) c.udp.push(u);
      }
    }
    return c;
  }

  private listenTcp(host: string, port: number): Promise<CanaryTarget> {
    return new Promise((resolve, reject) => {
      const server = net.createServer((s) => {
        this.hits.push({
          proto: 'tcp',
          address: host,
          port: server.address() ? (server.address() as net.AddressInfo).port : port,
          from: `${s.remoteAddress}:${s.remotePort}`,
        });
        s.destroy();
      });
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, () => {
        this.closers.push(() => new Promise((r) => server.close(() => r())));
        resolve({ host, port: (server.address() as net.AddressInfo).port });
      });
    });
  }

  private listenUdp(host: string, port: number): Promise<CanaryTarget> {
    return new Promise((resolve, reject) => {
      const sock = dgram.createSocket('udp4');
      sock.on('message', (_msg, rinfo) =>
        this.hits.push({
          proto: 'udp',
          address: host,
          port: sock.address().port,
          from: `${rinfo.address}:${rinfo.port}`,
        }),
      );
      sock.once('error', reject);
      sock.bind({ address: host, port, exclusive: true }, () => {
        this.closers.push(() => new Promise((r) => sock.close(() => r())));
        resolve({ host, port: sock.address().port });
      });
    });
  }

  /** Closes every listener. */
  async close(): Promise<void> {
    await Promise.all(this.closers.map((c) => c()));
  }
}
