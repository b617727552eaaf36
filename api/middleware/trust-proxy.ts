import { isIP } from 'node:net';

/**
 * Express's `trust proxy` setting (https://expressjs.com/en/guide/behind-proxies.html): `false` (the
 * client is the TCP peer; `X-Forwarded-For` is ignored), a number of proxy hops in front of the API, or the
 * addresses and subnets of trusted proxies (IPs, CIDRs, or proxy-addr's names `loopback`, `linklocal`,
 * `uniquelocal`). `true` (trust every hop) is refused: any client could then choose its own address and
 * escape the per-client rate limit by sending a new `X-Forwarded-For` each time.
 */
export type TrustProxy = false | number | string[];

const NAMED = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** True for an IPv4/IPv6 address, optionally with a `/prefix` of the right range. */
function isAddressOrSubnet(s: string): boolean {
  const [addr, prefix, ...rest] = s.split('/');
  if (rest.length > 0 || !addr) return false;
  const family = isIP(addr);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Parses the `TRUST_PROXY` setting: empty or `false` → false; an integer 0–10 → that many hops (0 is
 * false); else a comma-separated list of addresses, CIDR subnets and the names above.
 *
 * @returns the value for `app.set('trust proxy', …)`.
 * @throws Error naming the first entry that is none of these, or for `true`.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const v = (value ?? '').trim();
  if (v === '' || v === 'false') return false;
  if (v === 'true') throw new Error('true would trust every hop: give a hop count or the proxies’ addresses');
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops > 10) throw new Error(`${hops} hops: at most 10`);
    return hops === 0 ? false : hops;
  }
  const entries = v.split(',').map((e) => e.trim());
  const bad = entries.find((e) => !NAMED.has(e) && !isAddressOrSubnet(e));
  if (bad !== undefined)
    throw new Error(`"${bad}" is not an address, a CIDR subnet, loopback, linklocal or uniquelocal`);
  return entries;
}
