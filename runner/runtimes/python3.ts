import type { SubmissionFiles } from '../archive';
import { SolutionSetupError } from '../grading/solution-package';
import { cachedInstall, hashKey, INSTALL_CA_PATH, type InstallEnvironment } from './install-step';
import { procfileWebCommand } from './procfile';
import { pythonRequirements } from './python-requirements';
import type { CandidateRuntime, PreparedSolution } from './runtime';

/** Where the solution's virtual environment is created (install step) and mounted (service): venvs embed it. */
export const VENV_PATH = '/venv';
/** Start command when the solution has no Procfile: its `main.py`, run by the venv's Python. */
export const PYTHON_DEFAULT_START = 'python main.py';

/**
 * The install step's script: a venv at {@link VENV_PATH}, then the requirements from wheels only
 * (`--only-binary :all:`: no package code runs at install), and only when that fails a second attempt that
 * may build source distributions (their build scripts then run inside this install container only).
 */
export const PIP_INSTALL_SCRIPT = [
  `python3 -m venv ${VENV_PATH}`,
  `pip() { ${VENV_PATH}/bin/pip install --disable-pip-version-check --no-input --no-warn-script-location "$@" -r /input/requirements.txt; }`,
  'pip --only-binary :all: && exit 0',
  'echo "stackgrade: a requirement has no wheel for this platform; retrying with source distributions" >&2',
  'pip',
].join('\n');

/** Cache key of a Python install: the image (a venv is bound to its Python) and the requirements. */
export function pipInstallKey(image: string, requirements: readonly string[]): string {
  return hashKey(['python3', image, requirements.join('\n')]);
}

/**
 * Python 3.11 from Debian bookworm (sandbox-images/python3): `requirements.txt` or `pyproject.toml`
 * (PEP 621 dependencies) installed with pip from the package index into a venv mounted at /venv
 * (`/venv/bin` first on PATH, so `python` is the venv's). Start command: the `web:` line of a `Procfile`,
 * else {@link PYTHON_DEFAULT_START} when `main.py` exists.
 */
export const python3Runtime: CandidateRuntime = {
  id: 'python3',
  imageDir: 'python3',
  dependencyMount: VENV_PATH,
  env: [
    `VIRTUAL_ENV=${VENV_PATH}`,
    `PATH=${VENV_PATH}/bin:/usr/local/bin:/usr/bin:/bin`,
    'PYTHONUNBUFFERED=1',
    'PYTHONDONTWRITEBYTECODE=1',
  ],
  versionCommand: ['python3', '-c', 'import platform; print(platform.python_version())'],
  async prepare(files: SubmissionFiles, install: InstallEnvironment): Promise<PreparedSolution> {
    const requirements = pythonRequirements(files.get('requirements.txt'), files.get('pyproject.toml'));
    const startCommand =
      procfileWebCommand(files.get('Procfile')) ?? (files.has('main.py') ? PYTHON_DEFAULT_START : null);
    if (!startCommand)
      throw new SolutionSetupError(
        `A Python submission needs a Procfile with a "web:" line, or a main.py (started as "${PYTHON_DEFAULT_START}").`,
      );
    const dir = await cachedInstall(install, {
      key: pipInstallKey(install.image, requirements),
      inputs: new Map([['requirements.txt', requirements.map((r) => `${r}\n`).join('')]]),
      inputMount: '/input',
      outputMount: VENV_PATH,
      cmd: ['sh', '-c', PIP_INSTALL_SCRIPT],
      env: [
        `PIP_INDEX_URL=${install.registry}`,
        'PIP_CACHE_DIR=/tmp/pip-cache',
        ...(install.caFile ? [`PIP_CERT=${INSTALL_CA_PATH}`] : []),
      ],
      what: 'pip install',
    });
    return { dependenciesDir: dir, startCommand };
  },
};
