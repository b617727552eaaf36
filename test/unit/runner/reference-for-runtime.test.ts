import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { referenceDirFor } from '../../../runner/grading/reference-for-runtime';

async function pkg(files: Record<string, string>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ref-for-runtime-'));
  for (const [name, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await fs.writeFile(path.join(dir, name), text);
  }
  return dir;
}

describe('referenceDirFor', () => {
  it('picks the reference written for the runtime, detected from its root files, whatever its folder name', async () => {
    const dir = await pkg({
      'reference/package.json': '{}',
      'reference-py/requirements.txt': 'fastapi\n',
      'reference-golang/go.mod': 'module x\n',
      'starter/requirements.txt': 'fastapi\n',
    });
    expect(await referenceDirFor(dir, 'node22')).toBe(path.join(dir, 'reference'));
    expect(await referenceDirFor(dir, 'python3')).toBe(path.join(dir, 'reference-py'));
    expect(await referenceDirFor(dir, 'go')).toBe(path.join(dir, 'reference-golang'));
  });

  it('falls back to reference/ when no reference is written for the runtime, or its runtime cannot be told', async () => {
    const dir = await pkg({
      'reference/package.json': '{}',
      'reference-mixed/go.mod': 'module x\n',
      'reference-mixed/requirements.txt': 'x\n',
      'reference-empty/README.md': '',
    });
    expect(await referenceDirFor(dir, 'python3')).toBe(path.join(dir, 'reference'));
    expect(await referenceDirFor(dir, 'go')).toBe(path.join(dir, 'reference'));
  });

  it('prefers reference/ when another reference detects as the same runtime', async () => {
    const dir = await pkg({ 'reference/go.mod': 'module a\n', 'reference-b/go.mod': 'module b\n' });
    expect(await referenceDirFor(dir, 'go')).toBe(path.join(dir, 'reference'));
  });
});
