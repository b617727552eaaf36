import http from 'node:http';

/** One request to send. `body` as an object is sent as JSON; as a string it is sent verbatim. */
export interface HttpRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Per-request timeout, ms (default 10 000). */
  timeoutMs?: number;
}

/** A response as evidence: status, lower-cased headers, body text (capped) and parsed JSON when it parses. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: unknown;
  /** Wall time of the exchange, ms (recorded, never used to decide a check). */
  ms: number;
}

/** A request and its response, trimmed for a report (bodies to 500 characters, credentials shortened). */
export interface Exchange {
  /** Sequence number of the exchange in this client, from 1. */
  seq: number;
  request: { method: string; path: string; headers: Record<string, string>; body?: string };
  response:
    | { status: number; content_type: string | null; headers: Record<string, string>; body: string }
    | { error: string };
}

/** Request headers whose values are shortened in evidence (a token's first 12 characters identify it). */
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'x-api-key']);

function evidenceHeaders(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    const key = k.toLowerCase();
    out[key] = SECRET_HEADERS.has(key) && v.length > 20 ? `${v.slice(0, 20)}…` : v;
  }
  return out;
}

/** At most this many exchanges are kept per client (oldest dropped first). */
const MAX_EXCHANGES = 500;

/**
 * Thrown when the service cannot be reached or does not answer in time. `code` is the socket error's code
 * (`ECONNREFUSED`, `ECONNRESET`, …; Node.js docs, Errors, "Common system errors"), null for a timeout or an
 * oversized body.
 */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    message: string,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

/**
 * True when `err` says the service's port took no connection or dropped it (ECONNREFUSED, ECONNRESET: nothing
 * listens, or the process holding the socket went away), as opposed to a slow or oversized answer.
 */
export function connectionLost(err: unknown): boolean {
  return err instanceof HttpError && (err.code === 'ECONNREFUSED' || err.code === 'ECONNRESET');
}

/** The `code` of a Node.js system error, or null. */
const errorCode = (e: unknown): string | null => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
};

const MAX_BODY_BYTES = 2 * 1024 * 1024;
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** Returns the media type of a Content-Type value without parameters, lower-cased (RFC 9110 §8.3.1). */
export function mediaType(contentType: string | undefined): string | null {
  if (!contentType) return null;
  return contentType.split(';')[0]!.trim().toLowerCase();
}

/**
 * HTTP/1.1 client for probing a service (no redirects followed, body capped at 2 MiB, timeout per request)
 * that keeps the last exchanges as evidence for the report.
 */
export class HttpClient {
  readonly exchanges: Exchange[] = [];
  private readonly base: URL;
  private seq = 0;

  constructor(baseUrl: string) {
    this.base = new URL(baseUrl);
  }

  /** Base URL of the service this client talks to. */
  get baseUrl(): string {
    return this.base.origin;
  }

  /** Sequence number of the last exchange (0 before the first): pass it to {@link since}. */
  mark(): number {
    return this.seq;
  }

  /** The exchanges after `mark` (as returned by {@link mark}) still kept: a probe's own requests as evidence. */
  since(mark: number): Exchange[] {
    return this.exchanges.filter((e) => e.seq > mark);
  }

  /** Sends a request; throws {@link HttpError} on connection failure, timeout or an oversized body. */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const method = req.method ?? 'GET';
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    let payload: string | undefined;
    if (req.body !== undefined) {
      payload = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
        headers['content-type'] = 'application/json';
    }
    const started = process.hrtime.bigint();
    const record: Exchange = {
      seq: ++this.seq,
      request: {
        method,
        path: req.path,
        headers: evidenceHeaders(headers),
        ...(payload !== undefined ? { body: payload.slice(0, 500) } : {}),
      },
      response: { error: 'no response' },
    };
    this.exchanges.push(record);
    if (this.exchanges.length > MAX_EXCHANGES) this.exchanges.shift();
    const budgetMs = req.timeoutMs ?? 10_000;
    // `timeout` is an idle timeout (reset by every byte); the signal bounds the whole exchange, so a
    // service trickling one byte per second cannot hold a check until the run's wall-clock limit.
    const deadline = AbortSignal.timeout(budgetMs);
    const failure = (e: Error): HttpError =>
      e instanceof HttpError
        ? e
        : deadline.aborted
          ? new HttpError(`${method} ${req.path}: no complete answer within ${budgetMs} ms`)
          : new HttpError(`${method} ${req.path}: ${e.message}`, errorCode(e));
    try {
      const res = await new Promise<HttpResponse>((resolve, reject) => {
        const r = http.request(
          {
            host: this.base.hostname,
            port: this.base.port,
            method,
            path: req.path,
            headers:
              payload !== undefined
                ? { ...headers, 'content-length': String(Buffer.byteLength(payload)) }
                : headers,
            agent,
            timeout: budgetMs,
            signal: deadline,
          },
          (resp) => {
            const chunks: Buffer[] = [];
            let size = 0;
            resp.on('data', (d: Buffer) => {
              size += d.length;
              if (size > MAX_BODY_BYTES) {
                resp.destroy(new HttpError(`response body over ${MAX_BODY_BYTES} bytes`));
                return;
              }
              chunks.push(d);
            });
            resp.on('error', (e) => reject(failure(e)));
            resp.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              let json: unknown = undefined;
              try {
                json = text ? JSON.parse(text) : undefined;
              } catch {
                json = undefined;
              }
              const hs: Record<string, string> = {};
              for (const [k, v] of Object.entries(resp.headers))
                hs[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v ?? '');
              resolve({
                status: resp.statusCode ?? 0,
                headers: hs,
                text,
                json,
                ms: Number(process.hrtime.bigint() - started) / 1e6,
              });
            });
          },
        );
        r.on('timeout', () => r.destroy(new HttpError(`no answer within ${budgetMs} ms`)));
        r.on('error', (e) => reject(failure(e)));
        if (payload !== undefined) r.write(payload);
        r.end();
      });
      record.response = {
        status: res.status,
        content_type: res.headers['content-type'] ?? null,
        headers: res.headers,
        body: res.text.slice(0, 500),
      };
      return res;
    } catch (err) {
      record.response = { error: String(err instanceof Error ? err.message : err) };
      throw err instanceof HttpError ? err : new HttpError(String(err), errorCode(err));
    }
  }

  /** The last `n` exchanges (evidence for a failed check). */
  last(n = 3): Exchange[] {
    return this.exchanges.slice(-n);
  }
}
