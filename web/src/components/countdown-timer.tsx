import { useEffect, useState } from 'preact/hooks';
import { formatDuration } from '../lib/format-duration';

/**
 * The time left until `deadline` (ISO 8601), updated every second. The visible clock is `role="timer"`
 * (WAI-ARIA 1.2: not announced on every tick); a polite live region says when five minutes and one minute
 * are left, and when time is up. `onExpired` runs once at the deadline.
 */
export function CountdownTimer({ deadline, onExpired }: { deadline: string; onExpired?: () => void }) {
  const end = Date.parse(deadline);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const left = end - now;
  useEffect(() => {
    if (left <= 0) onExpired?.();
  }, [left <= 0]);
  const notice =
    left <= 0
      ? 'Time is up.'
      : left <= 60_000
        ? 'One minute left.'
        : left <= 5 * 60_000
          ? 'Five minutes left.'
          : '';
  return (
    <div class="timer">
      <p>
        Time left:{' '}
        <strong role="timer" data-testid="time-left" aria-label="Time left">
          {formatDuration(left)}
        </strong>{' '}
        <span class="muted">(until {new Date(end).toLocaleTimeString('en-GB')})</span>
      </p>
      <p class="visually-hidden" aria-live="polite">
        {notice}
      </p>
    </div>
  );
}
