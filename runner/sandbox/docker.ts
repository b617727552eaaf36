import Docker from 'dockerode';

/** A dockerode client on the local engine (`DOCKER_SOCKET`, default /var/run/docker.sock). */
export function createDocker(env: NodeJS.ProcessEnv = process.env): Docker {
  return new Docker({ socketPath: env.DOCKER_SOCKET ?? '/var/run/docker.sock' });
}

/** True when the engine has the gVisor runtime registered under the name `runsc` (design.md). */
export async function hasRunsc(docker: Docker): Promise<boolean> {
  const info = (await docker.info()) as { Runtimes?: Record<string, unknown> };
  return Object.prototype.hasOwnProperty.call(info.Runtimes ?? {}, 'runsc');
}
