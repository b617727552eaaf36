import {
  isRegistrySpec,
  parseSolutionPackage,
  SolutionSetupError,
} from '../../../runner/grading/solution-package';

const REGISTRY = 'https://registry.example.test/';
const pkg = (o: object): Buffer => Buffer.from(JSON.stringify(o));

describe('parseSolutionPackage', () => {
  it('when package.json has a start script and registry dependencies, returns them', () => {
    const p = parseSolutionPackage(
      pkg({
        scripts: { start: ' node src/server.js ' },
        dependencies: { express: '^5.1.0', '@scope/x': 'latest' },
      }),
      undefined,
      REGISTRY,
    );
    expect(p).toEqual({
      startCommand: 'node src/server.js',
      dependencies: { express: '^5.1.0', '@scope/x': 'latest' },
      lockfile: null,
    });
  });

  it.each([
    ['no package.json', undefined, /no package.json/],
    ['invalid JSON', Buffer.from('{'), /not valid JSON/],
    ['no start script', pkg({ dependencies: {} }), /scripts.start/],
    [
      'a git dependency',
      pkg({ scripts: { start: 'node a' }, dependencies: { x: 'git+https://example.test/x.git' } }),
      /only versions from the npm registry/,
    ],
    [
      'a file dependency',
      pkg({ scripts: { start: 'node a' }, dependencies: { x: 'file:../x' } }),
      /only versions/,
    ],
    [
      'a GitHub shorthand',
      pkg({ scripts: { start: 'node a' }, dependencies: { x: 'user/repo' } }),
      /only versions/,
    ],
    [
      'a URL',
      pkg({ scripts: { start: 'node a' }, dependencies: { x: 'https://example.test/x.tgz' } }),
      /only versions/,
    ],
    ['an alias', pkg({ scripts: { start: 'node a' }, dependencies: { x: 'npm:evil@1' } }), /only versions/],
  ])('when the submission has %s, throws SolutionSetupError', (_label, json, message) => {
    expect(() => parseSolutionPackage(json, undefined, REGISTRY)).toThrow(SolutionSetupError);
    expect(() => parseSolutionPackage(json, undefined, REGISTRY)).toThrow(message);
  });

  it('when the lockfile resolves a package outside the registry, throws', () => {
    const lock = pkg({ packages: { '': {}, 'node_modules/x': { resolved: 'https://evil.test/x.tgz' } } });
    expect(() =>
      parseSolutionPackage(pkg({ scripts: { start: 'node a' }, dependencies: { x: '1' } }), lock, REGISTRY),
    ).toThrow(/outside the npm registry/);
  });

  it('when the lockfile resolves inside the registry, keeps it', () => {
    const lock = pkg({ packages: { 'node_modules/x': { resolved: `${REGISTRY}x/-/x-1.0.0.tgz` } } });
    expect(
      parseSolutionPackage(pkg({ scripts: { start: 'node a' }, dependencies: { x: '1' } }), lock, REGISTRY)
        .lockfile,
    ).toContain('x-1.0.0.tgz');
  });

  it('isRegistrySpec accepts ranges and tags, rejects anything with a scheme or path', () => {
    for (const ok of ['1.2.3', '^1.0.0', '~2', '>=1 <3', '1.x || 2.x', 'latest', '*'])
      expect(isRegistrySpec(ok)).toBe(true);
    for (const bad of ['file:x', 'a/b', 'http://x', 'git://x', 'link:..', 'x\\y'])
      expect(isRegistrySpec(bad)).toBe(false);
  });
});
