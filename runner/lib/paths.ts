import path from 'node:path';

/** Repository root (this file is `runner/lib/paths.ts`). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Where Stackgrade keeps host-side state: caches, work dirs, logs (`STACKGRADE_HOME`, default /var/lib/stackgrade). */
export function stackgradeHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.STACKGRADE_HOME ?? '/var/lib/stackgrade';
}
