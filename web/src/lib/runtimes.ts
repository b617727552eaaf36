import type { RuntimeId } from '../../../runner/contract/runtime-selection';

/**
 * The candidate runtimes as people name them, with the marker files the API detects each by (the same
 * files as RUNTIME_MARKERS in runner/contract/runtime-selection.ts; the `Record` makes a new runtime a
 * compile error here until it is named).
 */
export const RUNTIME_NAMES: Record<RuntimeId, { label: string; markers: string }> = {
  node22: { label: 'Node.js 22', markers: 'package.json' },
  python3: { label: 'Python 3', markers: 'requirements.txt or pyproject.toml' },
  go: { label: 'Go', markers: 'go.mod' },
};

/** The runtimes of a challenge that the web app knows, in the challenge's order. */
export function knownRuntimes(ids: readonly string[]): RuntimeId[] {
  return ids.filter((id): id is RuntimeId => Object.hasOwn(RUNTIME_NAMES, id));
}

/**
 * What the archive's root needs for these runtimes: `package.json` for one, `package.json, or
 * requirements.txt or pyproject.toml, or go.mod` for three (every runtime when none is known).
 */
export function markerText(ids: readonly string[]): string {
  const known = knownRuntimes(ids);
  return (known.length ? known : (Object.keys(RUNTIME_NAMES) as RuntimeId[]))
    .map((id) => RUNTIME_NAMES[id].markers)
    .join(', or ');
}

/** A runtime as people name it (`Python 3` for `python3`); an id the web app does not know, as is. */
export function runtimeLabel(id: string): string {
  return Object.hasOwn(RUNTIME_NAMES, id) ? RUNTIME_NAMES[id as RuntimeId].label : id;
}
