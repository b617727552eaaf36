import { useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../lib/api';
import { knownRuntimes, markerText, RUNTIME_NAMES } from '../lib/runtimes';
import { checkUpload, formatBytes } from '../lib/upload-check';

/** Largest upload, bytes: the API writes its MAX_UPLOAD_BYTES into the page (5 MiB when absent). */
export function maxUploadBytes(): number {
  const v = Number(document.querySelector('meta[name="sg-max-upload-bytes"]')?.getAttribute('content'));
  return Number.isFinite(v) && v > 0 ? v : 5 * 1024 * 1024;
}

/**
 * Upload of a solution archive: a file field (keyboard and screen readers) and a drop zone (drag and drop),
 * both checked before upload ({@link checkUpload}); the API's error, if any, is shown as it says it.
 * `onSubmitted` receives the new submission's id; `headers` go with the upload (a candidate's session token
 * makes it count for their assessment). Where the challenge accepts several `runtimes`, the candidate may
 * name one (`&runtime=`); by default the API detects it from the archive's marker files.
 * With `onPractice`, a second button starts a practice run of the same archive (`&mode=practice`: only the
 * challenge's practice checks, unscored, rate-limited by the API); it is sent without `headers`, so it never
 * counts for an assessment, and `onPractice` receives its id.
 */
export function UploadForm({
  challengeId,
  onSubmitted,
  onPractice,
  headers = {},
  runtimes = [],
}: {
  challengeId: string;
  onSubmitted: (submissionId: string) => void;
  onPractice?: (submissionId: string) => void;
  headers?: Record<string, string>;
  runtimes?: readonly string[];
}) {
  const choices = knownRuntimes(runtimes);
  const [runtime, setRuntime] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'graded' | 'practice' | null>(null);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const max = maxUploadBytes();

  const choose = (f: File | null): void => {
    setError(null);
    setFile(null);
    if (!f) return;
    const c = checkUpload(f, max);
    if (!c.ok) setError(c.message);
    else setFile(f);
  };

  const submit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    // The button that submitted the form (Enter in the file field: the first one, a graded submission).
    const practice =
      onPractice !== undefined && (e.submitter as HTMLElement | null)?.dataset.mode === 'practice';
    if (!file) {
      setError('Choose a .zip or .tar.gz archive of your solution first.');
      return;
    }
    const c = checkUpload(file, max);
    if (!c.ok) {
      setError(c.message);
      return;
    }
    setBusy(practice ? 'practice' : 'graded');
    setError(null);
    try {
      const res = await api<{ id: string }>(
        `/v1/submissions?challenge_id=${encodeURIComponent(challengeId)}${
          runtime ? `&runtime=${encodeURIComponent(runtime)}` : ''
        }${practice ? '&mode=practice' : ''}`,
        {
          method: 'POST',
          headers: { ...(practice ? {} : headers), 'Content-Type': c.mediaType },
          body: file,
        },
      );
      (practice ? onPractice : onSubmitted)(res.id);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'The upload failed.');
      setBusy(null);
    }
  };

  return (
    <form class="upload" onSubmit={(e) => void submit(e as SubmitEvent)} aria-describedby="upload-help">
      <div
        class={dragging ? 'dropzone dragging' : 'dropzone'}
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          choose(e.dataTransfer?.files[0] ?? null);
        }}
      >
        <label for="solution-file">Solution archive (.zip, .tar.gz or .tgz)</label>
        <input
          id="solution-file"
          ref={input}
          type="file"
          accept=".zip,.tar.gz,.tgz,application/zip,application/gzip"
          onChange={(e) => choose((e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
        />
        <p id="upload-help" class="help">
          Drop the archive here or choose it above. Up to {formatBytes(max)}, with {markerText(runtimes)} at
          its root.
        </p>
        {file && (
          <p class="chosen">
            Ready: {file.name} ({formatBytes(file.size)})
          </p>
        )}
      </div>
      {choices.length > 1 && (
        <p>
          <label for="solution-runtime">Runtime</label>{' '}
          <select
            id="solution-runtime"
            value={runtime}
            onChange={(e) => setRuntime((e.currentTarget as HTMLSelectElement).value)}
          >
            <option value="">Detect from the files</option>
            {choices.map((id) => (
              <option key={id} value={id}>
                {RUNTIME_NAMES[id].label}
              </option>
            ))}
          </select>
        </p>
      )}
      {error && (
        <p class="error" role="alert" data-testid="upload-error">
          {error}
        </p>
      )}
      <p class="actions">
        <button type="submit" data-mode="graded" disabled={busy !== null}>
          {busy === 'graded' ? 'Uploading…' : 'Submit for grading'}
        </button>
        {onPractice && (
          <>
            {' '}
            <button
              type="submit"
              class="secondary"
              data-mode="practice"
              disabled={busy !== null}
              aria-describedby="practice-help"
            >
              {busy === 'practice' ? 'Uploading…' : 'Start a practice run'}
            </button>
          </>
        )}
      </p>
      {onPractice && (
        <p id="practice-help" class="help">
          A practice run checks only the challenge's practice checks and shows each in full. It is not scored
          {Object.keys(headers).length > 0 ? ' and does not count as one of your submissions' : ''}.
        </p>
      )}
    </form>
  );
}
