import type { AddressInfo } from 'node:net';
import { RunnerMetrics, serveRunnerMetrics } from '../../../runner/lib/runner-metrics';

describe("the runner's metrics server", () => {
  it('serves gradings, durations, pod starts and the warm pool size as Prometheus text', async () => {
    let warm = 2;
    const metrics = new RunnerMetrics(() => warm);
    const server = await serveRunnerMetrics(metrics, '127.0.0.1', 0);
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      metrics.gradings.inc({ challenge: 'attack-lab', runtime: 'node22', status: 'pass' });
      metrics.gradingDuration.observe({ challenge: 'attack-lab', runtime: 'node22' }, 12);
      metrics.podStart.observe({ source: 'warm' }, 7);
      warm = 1;
      const res = await fetch(`${url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await res.text();
      expect(text).toContain(
        'stackgrade_gradings_total{challenge="attack-lab",runtime="node22",status="pass"} 1',
      );
      expect(text).toContain(
        'stackgrade_grading_duration_seconds_bucket{le="20",challenge="attack-lab",runtime="node22"} 1',
      );
      expect(text).toContain('stackgrade_pod_start_seconds_count{source="warm"} 1');
      expect(text).toContain('stackgrade_warm_pool_pods 1');
      expect((await fetch(`${url}/other`)).status).toBe(404);
    } finally {
      server.close();
    }
  });
});
