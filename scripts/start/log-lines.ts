import { prettyFactory } from 'pino-pretty';

/** How `npm start` writes its children's log lines: `pretty` for a person, `json` for a log shipper. */
export type LogFormat = 'pretty' | 'json';

/**
 * Returns a function that turns one output line of a child process (`api` or `runner`) into the line
 * `npm start` prints. In `pretty` format a pino JSON line becomes `HH:MM:ss.l LEVEL (name): msg` followed by
 * its fields on one line (pino-pretty); in `json` format it stays JSON with a `proc` field naming the
 * child. Lines that are not JSON (a stack trace printed by Node.js itself) are kept, prefixed by the name.
 * The returned string has no trailing newline.
 */
export function lineFormatter(name: string, format: LogFormat, colorize: boolean): (line: string) => string {
  const pretty = prettyFactory({
    colorize,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,svc',
  });
  return (line: string): string => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return `[${name}] ${line}`;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return `[${name}] ${line}`;
    if (format === 'json') return JSON.stringify({ proc: name, ...parsed });
    return `[${name}] ${pretty(parsed).trimEnd()}`;
  };
}
