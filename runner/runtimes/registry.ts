import type { RuntimeId } from '../contract/runtime-selection';
import { goRuntime } from './go';
import { node22Runtime } from './node22';
import { python3Runtime } from './python3';
import type { CandidateRuntime } from './runtime';

/** Every candidate runtime by id (detection and selection: runner/contract/runtime-selection.ts). */
export const RUNTIMES: Readonly<Record<RuntimeId, CandidateRuntime>> = {
  node22: node22Runtime,
  python3: python3Runtime,
  go: goRuntime,
};

/** The runtime with `id`. */
export function runtimeOf(id: RuntimeId): CandidateRuntime {
  return RUNTIMES[id];
}
