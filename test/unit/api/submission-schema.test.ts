import {
  rawUploadQuerySchema,
  submissionCreateSchema,
  submissionIdSchema,
  UPLOAD_MEDIA_TYPES,
} from '../../../api/schemas/submission.schema';

const tgz = Buffer.from('not really an archive').toString('base64');

function issues(input: unknown): { path: PropertyKey[]; message: string; code: string }[] {
  const r = submissionCreateSchema.safeParse(input);
  if (r.success) throw new Error('expected a failure');
  return r.error.issues;
}

describe('submissionCreateSchema', () => {
  it('submissionCreateSchema, for a files upload, accepts it', () => {
    const body = { challenge_id: 'orders-api', files: { 'package.json': '{}', 'src/index.js': '' } };
    expect(submissionCreateSchema.parse(body)).toEqual(body);
  });

  it('submissionCreateSchema, for an archive upload, accepts both formats', () => {
    for (const format of ['tar.gz', 'zip'] as const) {
      const body = { challenge_id: 'orders-api', archive: { format, base64: tgz } };
      expect(submissionCreateSchema.parse(body)).toEqual(body);
    }
  });

  it('submissionCreateSchema, for base64 with line breaks, strips the whitespace', () => {
    const wrapped = `${tgz.slice(0, 8)}\n${tgz.slice(8)}\r\n`;
    const parsed = submissionCreateSchema.parse({
      challenge_id: 'c',
      archive: { format: 'zip', base64: wrapped },
    });
    expect(parsed.archive?.base64).toBe(tgz);
  });

  it('submissionCreateSchema, when neither files nor archive is given, fails', () => {
    expect(issues({ challenge_id: 'c' })).toEqual([
      expect.objectContaining({ message: 'one of files or archive is required' }),
    ]);
  });

  it('submissionCreateSchema, when both files and archive are given, fails', () => {
    const found = issues({ challenge_id: 'c', files: { a: 'b' }, archive: { format: 'zip', base64: tgz } });
    expect(found).toEqual([expect.objectContaining({ message: 'give files or archive, not both' })]);
  });

  it('submissionCreateSchema, for an unknown top-level key, fails with unrecognized_keys', () => {
    expect(issues({ challenge_id: 'c', files: { a: 'b' }, extra: 1 })).toEqual([
      expect.objectContaining({ code: 'unrecognized_keys', path: [] }),
    ]);
  });

  it('submissionCreateSchema, for an unknown key inside archive, fails', () => {
    expect(issues({ challenge_id: 'c', archive: { format: 'zip', base64: tgz, name: 'x' } })).toEqual([
      expect.objectContaining({ code: 'unrecognized_keys', path: ['archive'] }),
    ]);
  });

  it.each([
    ['a number challenge_id', { challenge_id: 1, files: { a: 'b' } }, ['challenge_id']],
    ['an empty challenge_id', { challenge_id: '', files: { a: 'b' } }, ['challenge_id']],
    ['a non-string file content', { challenge_id: 'c', files: { a: 1 } }, ['files', 'a']],
    ['an empty files map', { challenge_id: 'c', files: {} }, ['files']],
    ['files as an array', { challenge_id: 'c', files: ['a'] }, ['files']],
    [
      'an unknown format',
      { challenge_id: 'c', archive: { format: 'rar', base64: tgz } },
      ['archive', 'format'],
    ],
    [
      'invalid base64',
      { challenge_id: 'c', archive: { format: 'zip', base64: '***' } },
      ['archive', 'base64'],
    ],
    ['empty base64', { challenge_id: 'c', archive: { format: 'zip', base64: '' } }, ['archive', 'base64']],
  ])('submissionCreateSchema, for %s, fails at that path', (_what, body, path) => {
    expect(issues(body).map((i) => i.path)).toContainEqual(path);
  });

  it('submissionCreateSchema, for a non-object body, fails', () => {
    expect(submissionCreateSchema.safeParse([]).success).toBe(false);
    expect(submissionCreateSchema.safeParse('x').success).toBe(false);
    expect(submissionCreateSchema.safeParse(null).success).toBe(false);
  });
});

describe('rawUploadQuerySchema', () => {
  it('rawUploadQuerySchema, for a challenge id, accepts it and drops other parameters', () => {
    expect(rawUploadQuerySchema.parse({ challenge_id: 'orders-api', x: '1' })).toEqual({
      challenge_id: 'orders-api',
    });
  });

  it('rawUploadQuerySchema, when challenge_id is missing or repeated, fails', () => {
    expect(rawUploadQuerySchema.safeParse({}).success).toBe(false);
    expect(rawUploadQuerySchema.safeParse({ challenge_id: ['a', 'b'] }).success).toBe(false);
  });
});

describe('submissionIdSchema', () => {
  it('submissionIdSchema, for a random UUID, accepts it; for other strings, fails', () => {
    expect(submissionIdSchema.safeParse('3b241101-e2bb-4255-8caf-4136c566a962').success).toBe(true);
    expect(submissionIdSchema.safeParse('not-a-uuid').success).toBe(false);
    expect(submissionIdSchema.safeParse('').success).toBe(false);
  });
});

describe('UPLOAD_MEDIA_TYPES', () => {
  it('UPLOAD_MEDIA_TYPES, for each accepted media type, names its format', () => {
    expect(UPLOAD_MEDIA_TYPES).toEqual({
      'application/json': 'json',
      'application/gzip': 'tar.gz',
      'application/x-gzip': 'tar.gz',
      'application/x-tar+gzip': 'tar.gz',
      'application/zip': 'zip',
    });
  });
});
