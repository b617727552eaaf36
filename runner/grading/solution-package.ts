/** Why a solution cannot be started: a candidate outcome (`setup_failed`), not a platform error. */
export class SolutionSetupError extends Error {
  override name = 'SolutionSetupError';
}

/** What the runner takes from a solution's package.json. */
export interface SolutionPackage {
  /** `scripts.start`, run with `sh -c` in /app. */
  startCommand: string;
  /** Registry dependencies (`dependencies`; devDependencies are not installed). */
  dependencies: Record<string, string>;
  /** package-lock.json text when present. */
  lockfile: string | null;
}

/**
 * A dependency spec that npm resolves from the registry only: a semver range or a dist-tag. Rejected:
 * URLs, git, GitHub shorthands, `file:`/`link:` paths and `npm:` aliases, which would let the install step
 * reach another host or the build machine's files (docs/sandbox.md, "Install step").
 */
export function isRegistrySpec(spec: string): boolean {
  if (spec.length > 200) return false;
  if (/[:/\\]/.test(spec)) return false;
  return /^[\w.\-^~<>=|* ]*$/.test(spec);
}

/**
 * Parses and checks a solution's package.json (and lockfile): a `scripts.start`, registry-only
 * dependencies, and a lockfile whose `resolved` URLs all point at `registry`. Throws SolutionSetupError
 * with a message for the candidate.
 */
export function parseSolutionPackage(
  packageJson: Buffer | undefined,
  lockfile: Buffer | undefined,
  registry: string,
): SolutionPackage {
  if (!packageJson) throw new SolutionSetupError('The submission has no package.json at its root.');
  let pkg: unknown;
  try {
    pkg = JSON.parse(packageJson.toString('utf8'));
  } catch {
    throw new SolutionSetupError('package.json is not valid JSON.');
  }
  const p = pkg as { scripts?: { start?: unknown }; dependencies?: unknown };
  const start = p.scripts?.start;
  if (typeof start !== 'string' || !start.trim() || start.length > 1000) {
    throw new SolutionSetupError('package.json needs a "scripts.start" command that starts the service.');
  }
  const deps: Record<string, string> = {};
  if (p.dependencies !== undefined) {
    if (!p.dependencies || typeof p.dependencies !== 'object' || Array.isArray(p.dependencies)) {
      throw new SolutionSetupError('package.json "dependencies" must be an object.');
    }
    for (const [name, spec] of Object.entries(p.dependencies as Record<string, unknown>)) {
      if (typeof spec !== 'string' || !isRegistrySpec(spec) || !/^(@[\w.-]+\/)?[\w.-]+$/.test(name)) {
        throw new SolutionSetupError(
          `Dependency "${name}": only versions from the npm registry are allowed (no URLs, git or file paths).`,
        );
      }
      deps[name] = spec;
    }
  }
  let lock: string | null = null;
  if (lockfile) {
    lock = lockfile.toString('utf8');
    let parsed: { packages?: Record<string, { resolved?: unknown }> };
    try {
      parsed = JSON.parse(lock) as typeof parsed;
    } catch {
      throw new SolutionSetupError('package-lock.json is not valid JSON.');
    }
    const base = registry.endsWith('/') ? registry : `${registry}/`;
    for (const [where, entry] of Object.entries(parsed.packages ?? {})) {
      const resolved = entry?.resolved;
      if (resolved !== undefined && (typeof resolved !== 'string' || !resolved.startsWith(base))) {
        throw new SolutionSetupError(
          `package-lock.json: ${where || 'the root'} resolves outside the npm registry.`,
        );
      }
    }
  }
  return { startCommand: start.trim(), dependencies: deps, lockfile: lock };
}
