/**
 * forceRemove (runner/sandbox/docker.ts) on the real engine: it removes a running container, answers false
 * for one already gone and for one whose removal another caller has under way, and throws when the engine
 * cannot be reached.
 */
import Docker from 'dockerode';
import { forceRemove } from '../../../runner/sandbox/docker';
import { LABELS } from '../../../runner/sandbox/labels';

const docker = new Docker();

/** A started `sleep` container carrying the project's label (so the reaper could remove a leftover). */
async function sleeper(): Promise<Docker.Container> {
  const c = await docker.createContainer({
    Image: 'stackgrade/node22:latest',
    Cmd: ['sleep', '300'],
    Labels: { [LABELS.version]: '1', [LABELS.deadline]: String(Date.now() + 60_000) },
    HostConfig: { NetworkMode: 'none' },
  });
  await c.start();
  return c;
}

const exists = async (id: string): Promise<boolean> =>
  (await docker.listContainers({ all: true, filters: { id: [id] } })).length > 0;

describe('forceRemove', () => {
  it('removes a running container (true), then answers false for it once it is gone', async () => {
    const c = await sleeper();
    expect(await forceRemove(docker, c.id)).toBe(true);
    expect(await exists(c.id)).toBe(false);
    expect(await forceRemove(docker, c.id)).toBe(false);
  });

  it('two removals of one container at once both resolve, at least one true, and the container is gone', async () => {
    const c = await sleeper();
    const results = await Promise.all([forceRemove(docker, c.id), forceRemove(docker, c.id)]);
    expect(results).toContain(true);
    expect(await exists(c.id)).toBe(false);
  });

  it('throws when the engine cannot be reached', async () => {
    const nowhere = new Docker({ socketPath: '/nonexistent/docker.sock' });
    await expect(forceRemove(nowhere, 'a'.repeat(64))).rejects.toThrow(/ENOENT/);
  });
});
