import type { ComponentChildren } from 'preact';
import { navigate } from '../lib/router';

/** Props of {@link ResultsFilterBar}. */
export interface ResultsFilterBarProps {
  /** Fields shown before the filters (e.g. the assessment picker). */
  children?: ComponentChildren;
  /** The text filter: its element id (tests and labels rely on it), label, value and change handler. */
  text: { id: string; label: string; value: string; onInput: (value: string) => void };
  /** The status filter: element id, the statuses offered after "any" (value ''), value and change handler. */
  status: { id: string; options: readonly string[]; value: string; onChange: (value: string) => void };
  /** The compare button: its label (followed by "(n/2)") and the picked submission ids (at most two). */
  compare: { label: string; picked: readonly string[] };
}

/**
 * The filter bar of a reviewer's results table: a text filter, a status filter and a button opening the two
 * picked submissions side by side (`/app/review/compare?a=…&b=…`, enabled once exactly two are picked).
 * Every field has a visible label bound by its id.
 */
export function ResultsFilterBar({ children, text, status, compare }: ResultsFilterBarProps) {
  const [a, b] = compare.picked;
  return (
    <div class="filters">
      {children}
      <label for={text.id}>{text.label}</label>
      <input
        id={text.id}
        type="search"
        value={text.value}
        onInput={(e) => text.onInput((e.currentTarget as HTMLInputElement).value)}
      />
      <label for={status.id}>Status</label>
      <select
        id={status.id}
        value={status.value}
        onChange={(e) => status.onChange((e.currentTarget as HTMLSelectElement).value)}
      >
        <option value="">any</option>
        {status.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
      <button
        type="button"
        disabled={compare.picked.length !== 2}
        onClick={() => navigate(`/app/review/compare?a=${a}&b=${b}`)}
      >
        {compare.label} ({compare.picked.length}/2)
      </button>
    </div>
  );
}
