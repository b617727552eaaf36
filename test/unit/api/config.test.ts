import { loadConfig, apiEnvSchema, DEFAULT_MAX_UPLOAD_BYTES } from '../../../api/config';
import { isAppError } from '../../../runner/contract/app-error';

const required = { MONGODB_URI: 'mongodb://127.0.0.1:27017', REDIS_URL: 'redis://127.0.0.1:6379' };

function configError(env: NodeJS.ProcessEnv): { code: string; message: string } {
  try {
    loadConfig(env);
  } catch (err) {
    if (isAppError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('loadConfig accepted an invalid environment');
}

describe('loadConfig', () => {
  it('loadConfig, when only the required variables are set, applies every default', () => {
    const config = loadConfig({ ...required });
    expect(config).toEqual({
      ...required,
      API_PORT: 8080,
      API_HOST: '127.0.0.1',
      API_WORKERS: 1,
      MONGODB_DB: 'stackgrade',
      QUEUE_NAME: 'stackgrade-grade',
      RATE_LIMIT: 300,
      RATE_LIMIT_WINDOW_S: 60,
      MAX_UPLOAD_BYTES: DEFAULT_MAX_UPLOAD_BYTES,
      INVITE_LINK_BASE: 'http://127.0.0.1:8080/app/invites/',
      WEBHOOK_QUEUE_NAME: 'stackgrade-webhooks',
      WEBHOOK_WORKER: true,
      PRACTICE_RATE_LIMIT: 10,
      PRACTICE_RATE_WINDOW_S: 600,
      TRUST_PROXY: false,
      LOG_LEVEL: 'info',
    });
    expect(DEFAULT_MAX_UPLOAD_BYTES).toBe(5 * 1024 * 1024);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('loadConfig reads TRUST_PROXY as hops or proxy addresses and refuses `true` with CONFIG_INVALID', () => {
    expect(loadConfig({ ...required, TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ ...required, TRUST_PROXY: 'loopback,10.0.0.0/8' }).TRUST_PROXY).toEqual([
      'loopback',
      '10.0.0.0/8',
    ]);
    expect(() => loadConfig({ ...required, TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
  });

  it('loadConfig, when every variable is given as a string, coerces numbers and keeps the rest', () => {
    const config = loadConfig({
      ...required,
      API_PORT: '9000',
      API_HOST: '0.0.0.0',
      API_WORKERS: '2',
      MONGODB_DB: 'grading',
      CHALLENGES_DIR: '/srv/challenges',
      MAX_UPLOAD_BYTES: '1048576',
      LOG_LEVEL: 'silent',
      UNRELATED: 'ignored',
    });
    expect(config).toMatchObject({
      API_PORT: 9000,
      API_HOST: '0.0.0.0',
      API_WORKERS: 2,
      MONGODB_DB: 'grading',
      CHALLENGES_DIR: '/srv/challenges',
      MAX_UPLOAD_BYTES: 1_048_576,
      LOG_LEVEL: 'silent',
    });
    expect(config).not.toHaveProperty('UNRELATED');
  });

  it('loadConfig, when nothing is set, uses the Redis and store that setup-host.sh starts', () => {
    expect(loadConfig({})).toMatchObject({
      MONGODB_URI: 'mongodb://127.0.0.1:27017',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
  });

  it.each([
    ['API_PORT', 'not-a-number'],
    ['API_PORT', '70000'],
    ['API_WORKERS', '0'],
    ['API_WORKERS', '1.5'],
    ['MONGODB_URI', 'postgres://localhost/db'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['MAX_UPLOAD_BYTES', '-1'],
    ['LOG_LEVEL', 'verbose'],
  ])('loadConfig, when %s is %p, throws CONFIG_INVALID naming the variable', (name, value) => {
    const err = configError({ ...required, [name]: value });
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toContain(name);
  });

  it('apiEnvSchema, for every variable, carries a description', () => {
    for (const [name, schema] of Object.entries(apiEnvSchema.shape)) {
      expect([name, schema.description]).toEqual([name, expect.any(String)]);
    }
  });
});
