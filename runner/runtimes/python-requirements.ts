import { parse as parseToml } from 'smol-toml';
import { SolutionSetupError } from '../grading/solution-package';

/** Longest requirement accepted, characters. */
const MAX_REQUIREMENT_LENGTH = 300;
/** Most requirements accepted. */
const MAX_REQUIREMENTS = 200;

/**
 * A PEP 508 requirement that pip resolves from the package index only: a project name, optional extras,
 * optional version specifiers and an optional environment marker. Rejected: direct references
 * (`name @ https://…`), URLs, local paths and pip options (`-e`, `-r`, `--index-url`, …), which would let the
 * install step reach another host or read the build machine's files (as npm's non-registry specs are).
 */
export function isIndexRequirement(req: string): boolean {
  if (req.length > MAX_REQUIREMENT_LENGTH || req.includes('@') || req.includes('://')) return false;
  const [spec = '', marker] = req.split(';', 2);
  if (marker !== undefined && !/^[\w\s.'"<>=!~()-]*$/.test(marker)) return false;
  return /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?\s*(?:\[[A-Za-z0-9._,\s-]*\])?\s*(?:\(?\s*(?:(?:~=|==|!=|<=|>=|<|>|===)\s*[A-Za-z0-9.*+!_-]+\s*,?\s*)*\)?)?\s*$/.test(
    spec,
  );
}

function checked(reqs: string[], from: string): string[] {
  if (reqs.length > MAX_REQUIREMENTS)
    throw new SolutionSetupError(`${from}: at most ${MAX_REQUIREMENTS} requirements.`);
  for (const r of reqs) {
    if (!isIndexRequirement(r))
      throw new SolutionSetupError(
        `${from}: "${r.slice(0, 100)}" is not allowed: only names and versions from the package index (no URLs, paths, "name @ url" or pip options).`,
      );
  }
  return reqs;
}

/**
 * The requirements of a Python solution, one PEP 508 string each: the lines of `requirements.txt` (blank
 * lines and `#` comments skipped) when present, else `[project].dependencies` of `pyproject.toml` (PEP 621;
 * the project itself is not built or installed).
 *
 * @throws SolutionSetupError when neither file is given, the TOML is invalid or has no `[project]` table,
 *   or a requirement is not an index requirement ({@link isIndexRequirement}).
 */
export function pythonRequirements(
  requirementsTxt: Buffer | undefined,
  pyprojectToml: Buffer | undefined,
): string[] {
  if (requirementsTxt) {
    const lines = requirementsTxt
      .toString('utf8')
      .split(/\r?\n/)
      .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
      .filter(Boolean);
    return checked(lines, 'requirements.txt');
  }
  if (!pyprojectToml)
    throw new SolutionSetupError('A Python submission needs requirements.txt or pyproject.toml at its root.');
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(pyprojectToml.toString('utf8'));
  } catch (err) {
    throw new SolutionSetupError(`pyproject.toml is not valid TOML: ${String(err).slice(0, 300)}`);
  }
  const project = doc.project as { dependencies?: unknown } | undefined;
  if (!project || typeof project !== 'object')
    throw new SolutionSetupError(
      'pyproject.toml needs a [project] table (PEP 621) listing its "dependencies", or use requirements.txt.',
    );
  const deps = project.dependencies ?? [];
  if (!Array.isArray(deps) || deps.some((d) => typeof d !== 'string'))
    throw new SolutionSetupError('pyproject.toml: [project].dependencies must be a list of strings.');
  return checked(
    (deps as string[]).map((d) => d.trim()),
    'pyproject.toml',
  );
}
