import { SolutionSetupError } from '../../../runner/grading/solution-package';
import { isIndexRequirement, pythonRequirements } from '../../../runner/runtimes/python-requirements';

const b = (s: string): Buffer => Buffer.from(s);

describe('isIndexRequirement', () => {
  it.each([
    'flask',
    'Flask==3.0.3',
    'psycopg[binary,pool]>=3.2,<4',
    'fastapi ~= 0.115',
    'uvicorn[standard]',
    'typing-extensions; python_version < "3.12"',
    'zope.interface===6.0',
  ])('accepts %j', (r) => expect(isIndexRequirement(r)).toBe(true));

  it.each([
    'evil @ https://example.test/evil-1.0.tar.gz',
    'https://example.test/x.whl',
    '-e .',
    '--index-url https://example.test/simple',
    '-r other.txt',
    './local-package',
    '../x',
    'git+https://github.com/a/b',
    'x'.repeat(301),
  ])('refuses %j', (r) => expect(isIndexRequirement(r)).toBe(false));
});

describe('pythonRequirements', () => {
  it('reads requirements.txt, skipping blank lines and comments (whole-line and trailing)', () => {
    expect(pythonRequirements(b('# deps\nflask==3.0.3  # web\n\npsycopg[binary]\n'), undefined)).toEqual([
      'flask==3.0.3',
      'psycopg[binary]',
    ]);
  });

  it('prefers requirements.txt over pyproject.toml', () => {
    expect(pythonRequirements(b('flask\n'), b('[project]\ndependencies = ["django"]\n'))).toEqual(['flask']);
  });

  it("reads pyproject.toml's [project].dependencies (PEP 621), an absent list meaning none", () => {
    const toml =
      '[project]\nname = "svc"\ndependencies = [\n  "fastapi>=0.110",\n  "uvicorn[standard]",\n]\n';
    expect(pythonRequirements(undefined, b(toml))).toEqual(['fastapi>=0.110', 'uvicorn[standard]']);
    expect(pythonRequirements(undefined, b('[project]\nname = "svc"\n'))).toEqual([]);
  });

  it.each([
    [b('flask\n-e .\n'), undefined, /requirements.txt: "-e \." is not allowed/],
    [undefined, b('[project\n'), /not valid TOML/],
    [undefined, b('[tool.poetry.dependencies]\nflask = "*"\n'), /needs a \[project\] table/],
    [undefined, b('[project]\ndependencies = "flask"\n'), /must be a list of strings/],
    [undefined, b('[project]\ndependencies = ["x @ https://e.test/x.whl"]\n'), /pyproject.toml: "x @/],
    [undefined, undefined, /needs requirements.txt or pyproject.toml/],
  ])('refuses invalid input as a setup failure (%#)', (req, toml, message) => {
    expect(() => pythonRequirements(req, toml)).toThrow(SolutionSetupError);
    expect(() => pythonRequirements(req, toml)).toThrow(message);
  });
});
