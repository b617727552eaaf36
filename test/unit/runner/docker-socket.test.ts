import { dockerCliEnv, dockerSocketPath } from '../../../runner/sandbox/docker';

describe('dockerSocketPath', () => {
  it('takes DOCKER_SOCKET first, then a unix:// DOCKER_HOST, else /var/run/docker.sock', () => {
    expect(dockerSocketPath({ DOCKER_SOCKET: '/a.sock', DOCKER_HOST: 'unix:///b.sock' })).toBe('/a.sock');
    expect(dockerSocketPath({ DOCKER_HOST: 'unix:///tmp/engine2/docker.sock' })).toBe(
      '/tmp/engine2/docker.sock',
    );
    expect(dockerSocketPath({})).toBe('/var/run/docker.sock');
  });

  it('refuses a remote DOCKER_HOST (pods mount the runner host folders) with CONFIG_INVALID', () => {
    expect(() => dockerSocketPath({ DOCKER_HOST: 'tcp://10.0.0.2:2375' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    expect(() => dockerSocketPath({ DOCKER_HOST: 'unix://' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });

  it('gives the docker CLI the same engine as the API client', () => {
    expect(dockerCliEnv({ DOCKER_SOCKET: '/a.sock', PATH: '/bin' })).toEqual({
      DOCKER_SOCKET: '/a.sock',
      PATH: '/bin',
      DOCKER_HOST: 'unix:///a.sock',
    });
  });
});
