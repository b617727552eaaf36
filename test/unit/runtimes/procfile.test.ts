import { SolutionSetupError } from '../../../runner/grading/solution-package';
import { procfileWebCommand } from '../../../runner/runtimes/procfile';

const pf = (s: string): Buffer => Buffer.from(s);

describe('procfileWebCommand', () => {
  it('returns the trimmed web: command, skipping comments, blank lines and other process types', () => {
    expect(
      procfileWebCommand(
        pf('# processes\r\nworker: python worker.py\n\nweb:   gunicorn app:app -b 0.0.0.0:$PORT  \n'),
      ),
    ).toBe('gunicorn app:app -b 0.0.0.0:$PORT');
  });

  it('keeps colons inside the command', () => {
    expect(procfileWebCommand(pf('web: uvicorn main:app --port $PORT'))).toBe(
      'uvicorn main:app --port $PORT',
    );
  });

  it('returns null without a Procfile', () => {
    expect(procfileWebCommand(undefined)).toBeNull();
  });

  it.each([
    ['worker: x\n', /no "web:" line/],
    ['web: a\nweb: b\n', /several "web:" lines/],
    ['web:   \n', /1 to 1000 characters/],
    [`web: ${'x'.repeat(1001)}`, /1 to 1000 characters/],
  ])('refuses %j as a setup failure', (text, message) => {
    expect(() => procfileWebCommand(pf(text))).toThrow(SolutionSetupError);
    expect(() => procfileWebCommand(pf(text))).toThrow(message);
  });
});
