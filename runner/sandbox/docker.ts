import Docker from 'dockerode';
import { AppError } from '../contract/app-error';

/**
 * The Unix socket of the Docker engine this process drives: `DOCKER_SOCKET` (a path), else `DOCKER_HOST` in
 * its `unix:///path` form (the variable the docker CLI reads), else /var/run/docker.sock. The engine must be on
 * this host: pods bind-mount the runner's work folders (docs/scaling.md, "Several runner hosts").
 *
 * @throws AppError CONFIG_INVALID when DOCKER_HOST names another scheme (tcp://, ssh://).
 */
export function dockerSocketPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DOCKER_SOCKET) return env.DOCKER_SOCKET;
  const host = env.DOCKER_HOST;
  if (!host) return '/var/run/docker.sock';
  if (host.startsWith('unix://') && host.length > 'unix://'.length) return host.slice('unix://'.length);
  throw new AppError(
    'CONFIG_INVALID',
    `DOCKER_HOST=${host}: only a local engine (unix:///path) can run pods, which mount the runner's folders`,
  );
}

/**
 * Environment for a `docker` CLI child process that drives the same engine as {@link createDocker}
 * (DOCKER_HOST set from {@link dockerSocketPath}), so a build step and the API client never disagree.
 */
export function dockerCliEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, DOCKER_HOST: `unix://${dockerSocketPath(env)}` };
}

/** A dockerode client on the local engine of {@link dockerSocketPath}. */
export function createDocker(env: NodeJS.ProcessEnv = process.env): Docker {
  return new Docker({ socketPath: dockerSocketPath(env) });
}

/**
 * Name of the Docker runtime candidate services run under: gVisor started with `--oci-seccomp`
 * (scripts/setup-host.sh registers it beside plain `runsc`). Without that flag runsc ignores the
 * container's seccomp profile, so a candidate could create user namespaces (`unshare -Ur`) inside the
 * sandbox; gVisor's `runsc --help`: `runsc flags`: "-oci-seccomp: Enables loading OCI seccomp filters inside the sandbox.".
 */
export const GVISOR_RUNTIME = 'runsc-seccomp';
/** The gVisor runtime name a container may ask for. */
export type GvisorRuntime = typeof GVISOR_RUNTIME;

/**
 * True when the engine has gVisor registered as {@link GVISOR_RUNTIME} (docs/sandbox.md, "gVisor"). A host
 * with only a plain `runsc` answers false, so candidates fall back to hardened runc (where Docker enforces
 * seccomp) rather than to a gVisor that does not.
 */
export async function hasRunsc(docker: Docker): Promise<boolean> {
  const info = (await docker.info()) as { Runtimes?: Record<string, unknown> };
  return Object.prototype.hasOwnProperty.call(info.Runtimes ?? {}, GVISOR_RUNTIME);
}

/**
 * Force-removes container `id` and its anonymous volumes (Engine API `DELETE /containers/{id}?force=true&v=true`).
 * Resolves true when this call removed it, false when it was already gone (404) or another caller's removal
 * of it is under way (409 "removal of container … is already in progress"): either way it is going.
 *
 * @throws the engine's error for anything else (engine unreachable, 500).
 */
export async function forceRemove(docker: Docker, id: string): Promise<boolean> {
  try {
    await docker.getContainer(id).remove({ force: true, v: true });
    return true;
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode;
    if (status === 404) return false;
    if (status === 409 && /already in progress/.test(String(err))) return false;
    throw err;
  }
}
