import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startersOf } from '../../../runner/contract/runtime-starters';

async function pkg(files: Record<string, string>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runtime-starters-'));
  for (const [name, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await fs.writeFile(path.join(dir, name), text);
  }
  return dir;
}

describe('startersOf', () => {
  it('lists one starter per accepted runtime, detected from its root files, starter/ first', async () => {
    const dir = await pkg({
      'starter/package.json': '{}',
      'starter-python/requirements.txt': 'pymongo\n',
      'starter-go/go.mod': 'module x\n',
      'reference-go/go.mod': 'module y\n',
    });
    expect(await startersOf(dir, ['node22', 'python3', 'go'])).toEqual([
      { runtime: 'node22', folder: 'starter', dir: path.join(dir, 'starter') },
      { runtime: 'go', folder: 'starter-go', dir: path.join(dir, 'starter-go') },
      { runtime: 'python3', folder: 'starter-python', dir: path.join(dir, 'starter-python') },
    ]);
  });

  it('skips a starter of a runtime the challenge does not accept, of no runtime, of several, or a duplicate', async () => {
    const dir = await pkg({
      'starter/go.mod': 'module a\n',
      'starter-b/go.mod': 'module b\n',
      'starter-py/requirements.txt': 'x\n',
      'starter-mixed/package.json': '{}',
      'starter-mixed/go.mod': 'module c\n',
      'starter-empty/README.md': '',
    });
    expect(await startersOf(dir, ['node22', 'go'])).toEqual([
      { runtime: 'go', folder: 'starter', dir: path.join(dir, 'starter') },
    ]);
  });
});
