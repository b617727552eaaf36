import type { SubmissionFiles } from '../archive';
import { parseSolutionPackage, type SolutionPackage } from '../grading/solution-package';
import { cachedInstall, hashKey, INSTALL_CA_PATH, type InstallEnvironment } from './install-step';
import type { CandidateRuntime, PreparedSolution } from './runtime';

/** Cache key of an npm install: the sorted dependency map and the lockfile. */
export function npmInstallKey(pkg: SolutionPackage): string {
  const deps = Object.fromEntries(Object.entries(pkg.dependencies).sort(([a], [b]) => (a < b ? -1 : 1)));
  return hashKey([JSON.stringify(deps), pkg.lockfile ?? '']);
}

/**
 * Node.js 22 (sandbox-images/node22): `package.json` with `scripts.start` (run with `sh -c` in /app),
 * registry-only `dependencies` installed with `npm ci` (lockfile) or `npm install` with install scripts off,
 * mounted at /node_modules (Node resolves it from /app), `/node_modules/.bin` on PATH.
 */
export const node22Runtime: CandidateRuntime = {
  id: 'node22',
  imageDir: 'node22',
  dependencyMount: '/node_modules',
  env: ['NODE_ENV=production', 'PATH=/node_modules/.bin:/usr/local/bin:/usr/bin:/bin'],
  versionCommand: ['node', '-p', 'process.versions.node'],
  async prepare(files: SubmissionFiles, install: InstallEnvironment): Promise<PreparedSolution> {
    const pkg = parseSolutionPackage(
      files.get('package.json'),
      files.get('package-lock.json'),
      install.registry,
    );
    if (Object.keys(pkg.dependencies).length === 0)
      return { dependenciesDir: null, startCommand: pkg.startCommand };
    const inputs = new Map<string, string>([
      [
        'package.json',
        JSON.stringify({ name: 'solution', version: '0.0.0', private: true, dependencies: pkg.dependencies }),
      ],
    ]);
    if (pkg.lockfile) inputs.set('package-lock.json', pkg.lockfile);
    const npmArgs = pkg.lockfile ? 'ci' : 'install --package-lock=false';
    const dir = await cachedInstall(install, {
      key: npmInstallKey(pkg),
      inputs,
      inputMount: '/input',
      outputMount: '/install',
      workingDir: '/install',
      resultSubdir: 'node_modules',
      cmd: [
        'sh',
        '-c',
        `cp /input/* /install/ && exec npm ${npmArgs} --ignore-scripts --omit=dev --no-audit --no-fund --loglevel=warn`,
      ],
      env: [
        `npm_config_registry=${install.registry}`,
        'npm_config_cache=/tmp/.npm',
        'npm_config_update_notifier=false',
        ...(install.caFile ? [`NODE_EXTRA_CA_CERTS=${INSTALL_CA_PATH}`] : []),
      ],
      what: `npm ${npmArgs.split(' ')[0]}`,
    });
    return { dependenciesDir: dir, startCommand: pkg.startCommand };
  },
};
