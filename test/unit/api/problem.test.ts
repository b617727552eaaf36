import { z } from 'zod';
import { AppError } from '../../../runner/contract/app-error';
import { ERROR_CODES, problemType } from '../../../runner/contract/error-codes';
import { resolveProblem, toProblemDetails, toProblemIssues } from '../../../api/middleware/problem';

describe('resolveProblem', () => {
  it('resolveProblem, for an AppError, keeps its code, status and message', () => {
    const p = resolveProblem(new AppError('CHALLENGE_NOT_FOUND', 'challenge x does not exist'));
    expect(p).toEqual({
      code: 'CHALLENGE_NOT_FOUND',
      status: 404,
      detail: 'challenge x does not exist',
      unexpected: false,
    });
  });

  it('resolveProblem, for an AppError with an explicit status, uses that status', () => {
    const p = resolveProblem(new AppError('INTERNAL', 'teapot', { httpStatus: 418 }));
    expect(p.status).toBe(418);
  });

  it('resolveProblem, for an AppError carrying zod issues, exposes them as errors', () => {
    const r = z.strictObject({ a: z.string() }).safeParse({ a: 1, b: 2 });
    if (r.success) throw new Error('expected a failure');
    const p = resolveProblem(new AppError('VALIDATION_FAILED', 'invalid', { details: r.error.issues }));
    expect(p.status).toBe(422);
    expect(p.errors).toEqual([
      { path: ['a'], message: expect.any(String) },
      { path: [], message: expect.stringContaining('"b"') },
    ]);
  });

  it('resolveProblem, for an AppError with details that are not issues, leaves errors out', () => {
    const p = resolveProblem(new AppError('SANDBOX_FAILED', 'boom', { details: { container: 'abc' } }));
    expect(p).not.toHaveProperty('errors');
  });

  it('resolveProblem, for an AppError that crossed a process boundary (plain object named AppError), maps it', () => {
    const crossed = Object.assign(new Error('gone'), {
      name: 'AppError',
      code: 'SUBMISSION_NOT_FOUND',
      httpStatus: 404,
    });
    expect(resolveProblem(crossed)).toMatchObject({ code: 'SUBMISSION_NOT_FOUND', status: 404 });
  });

  it('resolveProblem, for a ZodError, responds 422 VALIDATION_FAILED with the issues', () => {
    const r = z.object({ n: z.number() }).safeParse({ n: 'x' });
    if (r.success) throw new Error('expected a failure');
    const p = resolveProblem(r.error);
    expect(p).toMatchObject({ code: 'VALIDATION_FAILED', status: 422, errors: [{ path: ['n'] }] });
  });

  it.each([
    [{ type: 'entity.parse.failed', status: 400, expose: true }, 400, 'MALFORMED_REQUEST', 'not valid JSON'],
    [{ type: 'entity.too.large', status: 413, expose: true }, 413, 'PAYLOAD_TOO_LARGE', 'upload limit'],
    [{ type: 'charset.unsupported', status: 415, expose: true }, 415, 'UNSUPPORTED_MEDIA_TYPE', 'charset'],
    [
      { type: 'encoding.unsupported', statusCode: 415, expose: true },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'encoding',
    ],
    [{ status: 400, expose: true }, 400, 'MALFORMED_REQUEST', 'Failed to decode'],
  ])(
    'resolveProblem, for a body-parser/http error %p, keeps its client status',
    (props, status, code, detail) => {
      const err = Object.assign(
        new Error(
          `${String((props as { type?: string }).type ?? 'Failed to decode param')} charset encoding`,
        ),
        props,
      );
      const p = resolveProblem(err);
      expect(p).toMatchObject({ status, code, unexpected: false });
      expect(p.detail).toContain(detail);
    },
  );

  it('resolveProblem, for an unknown error, responds 500 INTERNAL without leaking its message', () => {
    const p = resolveProblem(new TypeError('secret internals at /srv/app.js:12'));
    expect(p).toMatchObject({ code: 'INTERNAL', status: 500, unexpected: true });
    expect(p.detail).not.toContain('secret');
  });

  it('resolveProblem, for a 5xx http error, treats it as unexpected', () => {
    const p = resolveProblem(Object.assign(new Error('x'), { status: 502, expose: false }));
    expect(p).toMatchObject({ code: 'INTERNAL', status: 500 });
  });

  it('resolveProblem, for a thrown non-Error value, responds 500 INTERNAL', () => {
    expect(resolveProblem('oops')).toMatchObject({ code: 'INTERNAL', status: 500 });
    expect(resolveProblem(null)).toMatchObject({ code: 'INTERNAL', status: 500 });
  });
});

describe('toProblemDetails', () => {
  it('toProblemDetails, for a resolved problem, fills the RFC 9457 members and the extensions', () => {
    const body = toProblemDetails(
      {
        code: 'VALIDATION_FAILED',
        status: 422,
        detail: 'bad',
        errors: [{ path: ['x'], message: 'm' }],
        unexpected: false,
      },
      '/v1/submissions',
      'req-1',
    );
    expect(body).toEqual({
      type: 'https://stackgrade.dev/problems/validation-failed',
      title: ERROR_CODES.VALIDATION_FAILED.title,
      status: 422,
      detail: 'bad',
      instance: '/v1/submissions',
      code: 'VALIDATION_FAILED',
      request_id: 'req-1',
      errors: [{ path: ['x'], message: 'm' }],
    });
  });

  it('toProblemDetails, for every registered code, uses problemType(code) as type', () => {
    for (const code of Object.keys(ERROR_CODES) as (keyof typeof ERROR_CODES)[]) {
      const body = toProblemDetails(
        { code, status: ERROR_CODES[code].status, detail: 'd', unexpected: false },
        '/',
      );
      expect(body.type).toBe(problemType(code));
      expect(body.title).toBe(ERROR_CODES[code].title);
      expect(body).not.toHaveProperty('errors');
      expect(body).not.toHaveProperty('request_id');
    }
  });
});

describe('toProblemIssues', () => {
  it('toProblemIssues, for a path with a symbol, turns it into a string', () => {
    const sym = Symbol('k');
    expect(toProblemIssues([{ path: ['files', 0, sym], message: 'm' }])).toEqual([
      { path: ['files', 0, 'Symbol(k)'], message: 'm' },
    ]);
  });
});
