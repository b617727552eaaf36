import fs from 'node:fs/promises';
import path from 'node:path';
import type { SubmissionFiles } from '../archive';
import { SolutionSetupError } from '../grading/solution-package';
import { cachedInstall, hashKey, INSTALL_CA_PATH, type InstallEnvironment } from './install-step';
import { procfileWebCommand } from './procfile';
import type { CandidateRuntime, PreparedSolution } from './runtime';

/** Where the build output is mounted in the service's container; the binaries are in its `bin/`. */
export const GO_BUILD_MOUNT = '/build';

/**
 * The install step's script: the sources copied to a writable folder, then every main package of the module
 * built into `/build/bin/` (`go build -o dir/ ./...`). cgo is off and the toolchain is the image's
 * (`GOTOOLCHAIN=local`), so building runs no code of the submission or its modules.
 */
export const GO_BUILD_SCRIPT = [
  'mkdir /tmp/src && cp -R /input/. /tmp/src && cd /tmp/src',
  `exec go build -trimpath -o ${GO_BUILD_MOUNT}/bin/ ./...`,
].join('\n');

/** Cache key of a Go build: the image (its toolchain) and every file of the submission, by path. */
export function goBuildKey(image: string, files: SubmissionFiles): string {
  const parts: (string | Buffer)[] = ['go', image];
  for (const name of [...files.keys()].sort()) parts.push(name, files.get(name)!);
  return hashKey(parts);
}

/**
 * Go (sandbox-images/go; the official toolchain of runner/images/go-toolchain.ts): a module with `go.mod`,
 * built in the install step (module cache and build cache shared by every Go install of this host, modules
 * from the module proxy, checked against go.sum and the checksum database). The binaries are mounted at
 * /build/bin (on PATH). Start command: the `web:` line of a `Procfile`, else the module's only binary.
 */
export const goRuntime: CandidateRuntime = {
  id: 'go',
  imageDir: 'go',
  dependencyMount: GO_BUILD_MOUNT,
  env: [`PATH=${GO_BUILD_MOUNT}/bin:/usr/local/bin:/usr/bin:/bin`],
  versionCommand: ['go', 'env', 'GOVERSION'],
  async prepare(files: SubmissionFiles, install: InstallEnvironment): Promise<PreparedSolution> {
    if (!files.has('go.mod')) throw new SolutionSetupError('A Go submission needs go.mod at its root.');
    const procfile = procfileWebCommand(files.get('Procfile'));
    const dir = await cachedInstall(install, {
      key: goBuildKey(install.image, files),
      inputs: files,
      inputMount: '/input',
      outputMount: GO_BUILD_MOUNT,
      sharedCaches: {
        [path.join(install.cacheRoot, 'module-cache')]: '/cache/mod',
        [path.join(install.cacheRoot, 'build-cache')]: '/cache/build',
      },
      cmd: ['sh', '-c', GO_BUILD_SCRIPT],
      env: [
        `GOPROXY=${install.registry}`,
        'GOFLAGS=-mod=mod -buildvcs=false',
        'GOTOOLCHAIN=local',
        'CGO_ENABLED=0',
        'GOMODCACHE=/cache/mod',
        'GOCACHE=/cache/build',
        ...(install.caFile ? [`SSL_CERT_FILE=${INSTALL_CA_PATH}`] : []),
      ],
      what: 'go build',
    });
    if (procfile) return { dependenciesDir: dir, startCommand: procfile };
    const bins = await fs.readdir(path.join(dir, 'bin')).catch(() => [] as string[]);
    if (bins.length !== 1)
      throw new SolutionSetupError(
        bins.length
          ? `The module has several main packages (${bins.join(', ')}): add a Procfile with a "web:" line naming the one that serves.`
          : 'The module has no main package: nothing to start.',
      );
    return { dependenciesDir: dir, startCommand: `${GO_BUILD_MOUNT}/bin/${bins[0]}` };
  },
};
