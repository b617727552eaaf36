import { SolutionSetupError } from '../grading/solution-package';

/** Longest start command accepted, characters. */
const MAX_COMMAND_LENGTH = 1000;

/**
 * The `web:` command of a Procfile (the Heroku and Cloud Native Buildpacks convention: one
 * `<process type>: <command>` per line; `web` is the process that receives HTTP traffic on `$PORT`).
 * Blank lines and `#` comments are skipped; other process types are ignored.
 *
 * @returns the trimmed command, or null when `procfile` is undefined.
 * @throws SolutionSetupError when the Procfile has no `web:` line, several, or an empty or overlong command.
 */
export function procfileWebCommand(procfile: Buffer | undefined): string | null {
  if (!procfile) return null;
  const webs: string[] = [];
  for (const raw of procfile.toString('utf8').split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^([A-Za-z0-9_-]+)\s*:(.*)$/.exec(line);
    if (m && m[1] === 'web') webs.push(m[2]!.trim());
  }
  if (webs.length !== 1)
    throw new SolutionSetupError(
      webs.length
        ? 'Procfile has several "web:" lines; keep one.'
        : 'Procfile has no "web:" line (e.g. "web: python main.py").',
    );
  const cmd = webs[0]!;
  if (!cmd || cmd.length > MAX_COMMAND_LENGTH)
    throw new SolutionSetupError(`Procfile's "web:" command must be 1 to ${MAX_COMMAND_LENGTH} characters.`);
  return cmd;
}
