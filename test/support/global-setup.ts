/**
 * Jest globalSetup of the integration project: checks that the real services the tests use are up (Docker
 * engine, Redis, the MongoDB-compatible store) and publishes their addresses in process.env. It starts
 * nothing: `npm run setup` (scripts/setup-host.sh) installs and starts them, and `.ci/run` calls it first.
 */
import net from 'node:net';
import Docker from 'dockerode';

function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, host);
    s.setTimeout(2000);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

export default async function globalSetup(): Promise<void> {
  process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
  process.env.MONGODB_URI ??= 'mongodb://127.0.0.1:27017';
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  const redis = new URL(process.env.REDIS_URL);
  const mongo = new URL(process.env.MONGODB_URI);
  const problems: string[] = [];
  try {
    await new Docker({ socketPath: process.env.DOCKER_SOCKET ?? '/var/run/docker.sock' }).ping();
  } catch {
    problems.push('the Docker engine does not answer');
  }
  if (!(await tcpOpen(redis.hostname, Number(redis.port || 6379))))
    problems.push(`Redis is not listening at ${process.env.REDIS_URL}`);
  if (!(await tcpOpen(mongo.hostname, Number(mongo.port || 27017))))
    problems.push(`no MongoDB-compatible server at ${process.env.MONGODB_URI}`);
  if (problems.length)
    throw new Error(
      `integration tests need real services: ${problems.join('; ')}. Run \`npm run setup\` first.`,
    );
}
