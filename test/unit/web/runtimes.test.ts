import { knownRuntimes, markerText } from '../../../web/src/lib/runtimes';

describe('candidate runtimes in the web app', () => {
  it('keeps the runtimes it can name, in the challenge order', () => {
    expect(knownRuntimes(['go', 'cobol', 'node22'])).toEqual(['go', 'node22']);
  });

  it("names each runtime's marker files, or every runtime's when none is known", () => {
    expect(markerText(['node22'])).toBe('package.json');
    expect(markerText(['python3', 'go'])).toBe('requirements.txt or pyproject.toml, or go.mod');
    expect(markerText([])).toBe('package.json, or requirements.txt or pyproject.toml, or go.mod');
  });
});
