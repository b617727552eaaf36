import { goBuildKey } from '../../../runner/runtimes/go';
import { npmInstallKey } from '../../../runner/runtimes/node22';
import { pipInstallKey } from '../../../runner/runtimes/python3';

const files = (o: Record<string, string>): Map<string, Buffer> =>
  new Map(Object.entries(o).map(([k, v]) => [k, Buffer.from(v)]));

describe('install cache keys', () => {
  it('npm: the same dependencies in another order give the same key; another lockfile another key', () => {
    const a = npmInstallKey({ startCommand: 'x', dependencies: { a: '1', b: '2' }, lockfile: null });
    const b = npmInstallKey({ startCommand: 'y', dependencies: { b: '2', a: '1' }, lockfile: null });
    const c = npmInstallKey({ startCommand: 'x', dependencies: { a: '1', b: '2' }, lockfile: '{}' });
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
  });

  it('pip: keyed by the image (a venv is bound to its Python) and the requirements', () => {
    const k = pipInstallKey('stackgrade/python3:1', ['flask==3.0.3']);
    expect(pipInstallKey('stackgrade/python3:1', ['flask==3.0.3'])).toBe(k);
    expect(pipInstallKey('stackgrade/python3:2', ['flask==3.0.3'])).not.toBe(k);
    expect(pipInstallKey('stackgrade/python3:1', ['flask==3.0.2'])).not.toBe(k);
  });

  it('go: keyed by the image and every file by path, whatever the map order; a moved file changes it', () => {
    const k = goBuildKey('img', files({ 'go.mod': 'module x', 'main.go': 'package main' }));
    expect(goBuildKey('img', files({ 'main.go': 'package main', 'go.mod': 'module x' }))).toBe(k);
    expect(goBuildKey('img', files({ 'go.mod': 'module x', 'cmd/main.go': 'package main' }))).not.toBe(k);
    expect(goBuildKey('img', files({ 'go.mod': 'module x', 'main.go': 'package main // 2' }))).not.toBe(k);
    expect(goBuildKey('img2', files({ 'go.mod': 'module x', 'main.go': 'package main' }))).not.toBe(k);
  });
});
