import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';

/** Options of {@link followLines}. */
export interface FollowOptions {
  /** Stop reading (and report `truncated`) after this many bytes of output, stdout and stderr together. */
  maxBytes: number;
  /** Called for each complete stdout line (without the newline). */
  onStdoutLine?: (line: string) => void;
}

/** What a followed container wrote, bounded. */
export interface FollowResult {
  /** Resolves when the log stream ends (the container stopped) or the byte cap was hit. */
  ended: Promise<{ truncated: boolean; bytes: number }>;
  stop: () => void;
}

/**
 * Follows a container's stdout/stderr from its start (Docker keeps the log, so nothing is missed when this
 * is called right after `start`), splitting stdout into lines, counting every byte and giving up after
 * `maxBytes` (output flood: docs/sandbox.md, "Limits"). The stream is demultiplexed with dockerode's modem.
 */
export async function followLines(
  docker: Docker,
  container: Docker.Container,
  opts: FollowOptions,
): Promise<FollowResult> {
  const raw = (await container.logs({
    follow: true,
    stdout: true,
    stderr: true,
  })) as unknown as NodeJS.ReadableStream & {
    destroy: () => void;
  };
  const out = new PassThrough();
  const err = new PassThrough();
  docker.modem.demuxStream(raw, out, err);
  let bytes = 0;
  let truncated = false;
  let pending = '';
  const ended = new Promise<{ truncated: boolean; bytes: number }>((resolve) => {
    const finish = (): void => {
      if (pending && opts.onStdoutLine) opts.onStdoutLine(pending);
      pending = '';
      resolve({ truncated, bytes });
    };
    const count = (n: number): boolean => {
      bytes += n;
      if (bytes > opts.maxBytes && !truncated) {
        truncated = true;
        raw.destroy();
        finish();
        return false;
      }
      return true;
    };
    out.on('data', (d: Buffer) => {
      if (!count(d.length)) return;
      pending += d.toString('utf8');
      let i: number;
      while ((i = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, i);
        pending = pending.slice(i + 1);
        opts.onStdoutLine?.(line);
      }
    });
    err.on('data', (d: Buffer) => count(d.length));
    raw.on('end', finish);
    raw.on('close', finish);
    raw.on('error', finish);
  });
  return { ended, stop: () => raw.destroy() };
}

/**
 * The last `maxBytes` of a container's combined stdout/stderr (of its last `lines` lines) as text,
 * with control characters other than newline and tab replaced by `�`. Candidate output is data: escaped, bounded, never parsed.
 */
export async function logTail(container: Docker.Container, maxBytes: number, lines = 400): Promise<string> {
  try {
    const buf = (await container.logs({
      stdout: true,
      stderr: true,
      tail: lines,
      follow: false,
    })) as unknown as Buffer;
    // Strip the 8-byte multiplexing headers of non-TTY logs.
    const parts: Buffer[] = [];
    let i = 0;
    while (i + 8 <= buf.length) {
      const len = buf.readUInt32BE(i + 4);
      parts.push(buf.subarray(i + 8, i + 8 + len));
      i += 8 + len;
    }
    const text = Buffer.concat(parts).toString('utf8');
    const tail = text.length > maxBytes ? text.slice(text.length - maxBytes) : text;
    // eslint-disable-next-line no-control-regex
    return tail.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '\ufffd');
  } catch {
    return '';
  }
}

/**
 * Resolves when `marker` appears as a whole stdout line of the container (event-driven readiness: the
 * container announces itself, the host never polls). Rejects when the container's log ends first (it exited)
 * or after `ms` milliseconds.
 */
export async function waitForLine(
  docker: Docker,
  c: Docker.Container,
  marker: string,
  ms: number,
): Promise<void> {
  let seen = false;
  let resolveSeen!: () => void;
  const seenP = new Promise<void>((r) => (resolveSeen = r));
  const f = await followLines(docker, c, {
    maxBytes: 1024 * 1024,
    onStdoutLine: (l) => {
      if (l.trim() === marker) {
        seen = true;
        resolveSeen();
      }
    },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      seenP,
      f.ended.then(() => {
        if (!seen) throw new Error(`exited before printing ${marker}`);
      }),
      new Promise<void>(
        (_, rej) => (timer = setTimeout(() => rej(new Error(`no ${marker} within ${ms} ms`)), ms)),
      ),
    ]);
  } finally {
    clearTimeout(timer);
    f.stop();
  }
}
