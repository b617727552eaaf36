/**
 * `npm run bench -- --quick --iterations 1 --json` end to end: one of each measurement (two real gradings of
 * the orders-api reference through the API and a runner process, warm pool and cold, no throughput phase), checked for the JSON
 * shape and that every figure is a positive number. The figures' values are never asserted: benchmarks
 * measure speed, tests do not.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const REPO = path.resolve(__dirname, '..', '..', '..');

interface FigureJson {
  unit: string;
  summary: { min: number; median: number; p95: number; runs: number; samples: number[] };
  floor: string | null;
  ratio: number | null;
  load: { median: number; max: number } | null;
}

describe('npm run bench --quick', () => {
  it('--quick --iterations 1 --json, when it measures this machine, prints every figure as a positive number next to its floor and writes the Markdown report', async () => {
    const out = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'bench-smoke-')), 'BENCHMARKS.md');
    const { stdout } = await exec(
      process.execPath,
      [
        '--import',
        'tsx',
        'bench/main.ts',
        '--quick',
        '--iterations',
        '1',
        '--load-seconds',
        '2',
        '--cluster-workers',
        '2',
        '--json',
        '--out',
        out,
      ],
      { cwd: REPO, maxBuffer: 64 * 1024 * 1024 },
    );
    const result = JSON.parse(stdout) as {
      machine: Record<string, unknown>;
      figures: Record<string, FigureJson>;
      skipped: string[];
      targets: { target: string; met: boolean }[];
      profile: Record<string, number>;
      profileCold: Record<string, number>;
      submitStages: { stages: Record<string, { p50: number; p99: number }>; total: { p99: number } };
    };
    for (const k of ['cpu', 'cores', 'memoryMb', 'kernel', 'docker', 'candidateRuntime', 'date', 'commit'])
      expect(result.machine[k]).toBeTruthy();
    const expected = [
      'floor_container_ms',
      'floor_pod_pg_ms',
      'pod_ready_ms',
      'pod_ready_cold_ms',
      'e2e_ms',
      'tests_ms',
      'overhead_ms',
      'e2e_cold_ms',
      'overhead_cold_ms',
      'api_submit_rps',
      'api_submit_p99_ms',
      'api_submit_p99_cluster_ms',
      'api_submit_burst_p99_ms',
      'api_rss_peak_mb',
      'api_cluster_rss_peak_mb',
      'runner_rss_peak_mb',
      'pod_memory_peak_mb',
    ];
    for (const name of expected) expect(result.figures[name]).toBeDefined();
    expect(result.skipped).toEqual([
      'throughput_per_min_c1',
      'throughput_per_min_c2',
      'throughput_per_min_c4',
    ]);
    for (const [name, f] of Object.entries(result.figures)) {
      const s = f.summary;
      for (const v of [s.min, s.median, s.p95]) {
        expect({ name, v, positive: Number.isFinite(v) && v > 0 }).toEqual({ name, v, positive: true });
      }
      expect(s.runs).toBeGreaterThanOrEqual(1);
      expect({ name, load: f.load !== null && f.load.max >= f.load.median && f.load.median >= 0 }).toEqual({
        name,
        load: true,
      });
      if (f.floor !== null) {
        expect(result.figures[f.floor]).toBeDefined();
        expect(f.ratio).toBeGreaterThan(0);
      }
    }
    expect(result.targets.map((t) => t.target)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('pod_ready_ms'),
        expect.stringContaining('overhead_ms'),
      ]),
    );
    // The warm-pool grading ran in a warm pod (no pod start-up in its timings); the cold one started its pod.
    expect(result.profile.warm_pod).toBe(1);
    expect(result.profile.candidate_ready).toBeGreaterThan(0);
    expect(result.profile.reference_ready).toBeUndefined();
    expect(result.profileCold.reference_ready).toBeGreaterThan(0);
    expect(result.profileCold.warm_pod).toBeUndefined();
    expect(Object.keys(result.submitStages.stages).sort()).toEqual(
      ['both_inserts', 'enqueue', 'insert_archive', 'insert_submission', 'pack', 'read', 'read_pack'].sort(),
    );
    expect(result.submitStages.total.p99).toBeGreaterThan(0);
    const md = await fs.readFile(out, 'utf8');
    expect(md).toContain('| `pod_ready_ms` |');
    expect(md).toContain('| `pod_ready_cold_ms` |');
    expect(md).toContain('## Targets');
    expect(md).toContain('## POST /v1/submissions by stage');
  });
});
