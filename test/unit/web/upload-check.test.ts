import { checkUpload, formatBytes } from '../../../web/src/lib/upload-check';

const MiB = 1024 * 1024;

describe('checkUpload', () => {
  it.each([
    ['solution.zip', 'zip', 'application/zip'],
    ['solution.tar.gz', 'tar.gz', 'application/gzip'],
    ['SOLUTION.TGZ', 'tar.gz', 'application/gzip'],
  ])('%s, within the limit, is accepted as %s sent as %s', (name, kind, mediaType) => {
    expect(checkUpload({ name, size: 100 }, MiB)).toEqual({ ok: true, kind, mediaType });
  });

  it.each(['solution.rar', 'solution.tar', 'zip', 'solution.gz'])(
    '%s is refused as not an archive',
    (name) => {
      const r = checkUpload({ name, size: 100 }, MiB);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.message).toContain('is not a .zip, .tar.gz or .tgz archive');
    },
  );

  it('an archive over the limit is refused naming both sizes', () => {
    const r = checkUpload({ name: 'big.zip', size: 6 * MiB }, 5 * MiB);
    expect(r).toEqual({ ok: false, message: expect.stringContaining('is 6.0 MiB; the limit is 5.0 MiB') });
  });

  it('an archive of exactly the limit is accepted, an empty one is refused', () => {
    expect(checkUpload({ name: 'a.zip', size: 5 * MiB }, 5 * MiB).ok).toBe(true);
    expect(checkUpload({ name: 'a.zip', size: 0 }, 5 * MiB)).toEqual({
      ok: false,
      message: 'a.zip is empty.',
    });
  });
});

describe('formatBytes', () => {
  it.each([
    [512, '512 bytes'],
    [2048, '2.0 KiB'],
    [5 * MiB, '5.0 MiB'],
  ])('%d → %s', (n, text) => expect(formatBytes(n)).toBe(text));
});
