/**
 * Object-level authorization of every owner route, property-based: organisation B owns one object of each
 * kind (its challenge's settings, an assessment with invites, a candidate's submission, a webhook with a
 * delivery); organisation A's key holds every scope. The routes come from the OpenAPI operation table
 * (api/openapi/routes.ts): every operation that takes an object id (path parameter, body or query field) is
 * probed, or listed below as not an owner lookup with the reason — a new route fails this test until it is
 * one or the other. For each generated request (route, B's id or a random one per id, a valid body or any
 * JSON) A's answer is the answer to an id that does not exist (same status, `code` and `type`), with a valid
 * body a 404 problem+json with the code's stable `type`; afterwards B's objects read back unchanged and A
 * sees none of them in its lists.
 */
import fc from 'fast-check';
import request, { type Response } from 'supertest';
import { z } from 'zod';
import { issueApiKey } from '../../../api/domain/issue-api-key';
import { sweepInvites } from '../../../api/domain/lifecycle-sweep';
import { API_ROUTES, type ApiRoute } from '../../../api/openapi/routes';
import { ERROR_CODES, problemType, type ErrorCode } from '../../../runner/contract/error-codes';
import { FIXTURE_OWNER } from '../../unit/api/fixtures/challenge-fixture';
import { CHALLENGE_ID, startHarness, VALID_FILES, type Harness } from './support';

/** Runs of the property: each is two real requests (B's ids and an absent twin). */
const RUNS = 100;

/** Kinds of object an organisation owns, by the id that names them. */
type Kind = 'challenge' | 'assessment' | 'submission' | 'webhook' | 'delivery';

/** Which kind an id field names: `<collection segment>/:<param>` for path parameters, the field for bodies. */
const PATH_ID_KINDS: Readonly<Record<string, Kind>> = {
  'challenges/:id': 'challenge',
  'assessments/:id': 'assessment',
  'submissions/:id': 'submission',
  'webhooks/:id': 'webhook',
  'deliveries/:delivery_id': 'delivery',
};
const FIELD_ID_KINDS: Readonly<Record<string, Kind>> = {
  challenge_id: 'challenge',
  challenge_ids: 'challenge',
};

/** Operations that take an id but are no owner lookup, and why another organisation may get more than 404. */
const NOT_OWNER_LOOKUPS: Readonly<Record<string, string>> = {
  'get /v1/challenges/:id': 'the catalog is public: any client reads a challenge statement',
  'get /v1/challenges/:id/starter': 'the catalog is public: any client downloads a starter',
  'get /v1/submissions/:id/events':
    "the candidate's progress stream: anonymous like the candidate view, the unguessable id is the capability",
  'get /v1/invites/:token': "the token is the candidate's credential, not an organisation's object id",
  'post /v1/invites/:token/start': "the token is the candidate's credential, not an organisation's object id",
  'get /v1/embed-tokens/:token': 'a signed grant checked by its signature, not an object lookup',
  'post /v1/submissions':
    'practice submissions to a challenge are open to every client unless its owner closes them (403)',
  'get /v1/submissions':
    "a filter of the caller's own submissions: another organisation's challenge lists none",
};

/**
 * The query an operation needs to be an owner lookup. `GET /v1/submissions/:id` without `view=owner` is the
 * candidate view, which the unguessable id opens to whoever holds it (api/domain/get-submission.ts).
 */
const OWNER_QUERY: Readonly<Record<string, Record<string, string>>> = {
  'get /v1/submissions/:id': { view: 'owner' },
};

/** A minimal valid body per operation with a body; `ids` are the ids the case chose (body fields use them). */
const VALID_BODIES: Readonly<Record<string, (ids: Partial<Record<Kind, string>>) => unknown>> = {
  'put /v1/challenges/:id/settings': () => ({ open_submissions: false }),
  'post /v1/assessments/:id/invites': () => ({ candidates: [{ email: 'eve@example.com' }] }),
  'post /v1/assessments': (ids) => ({
    title: 'Not yours',
    challenge_ids: [ids.challenge],
    time_limit_ms: 3_600_000,
  }),
  'post /v1/embed-tokens': (ids) => ({ challenge_id: ids.challenge, parent_origin: 'https://example.com' }),
};

const routeKey = (r: ApiRoute): string => `${r.method} ${r.path}`;

/** Top-level field names of a zod object schema (through unions and pipes); none for other schemas. */
function fieldNames(schema: z.ZodType | undefined): string[] {
  if (!schema) return [];
  const def = (schema as unknown as { def: { type: string } }).def as {
    type: string;
    shape?: Record<string, unknown>;
    options?: z.ZodType[];
    in?: z.ZodType;
  };
  if (def.type === 'object') return Object.keys(def.shape ?? {});
  if (def.type === 'union') return [...new Set((def.options ?? []).flatMap(fieldNames))];
  if (def.type === 'pipe') return fieldNames(def.in);
  return [];
}

/** One id an operation takes: where it goes and which kind of object it names. */
interface IdSlot {
  where: 'path' | 'body' | 'query';
  name: string;
  kind: Kind | undefined;
}

/** Every id-like input of an operation: path parameters, and `*_id(s)` fields of its body and query. */
function idSlots(route: ApiRoute): IdSlot[] {
  const slots: IdSlot[] = [];
  for (const m of route.path.matchAll(/([^/]+)\/:([A-Za-z_]+)/g))
    slots.push({ where: 'path', name: m[2]!, kind: PATH_ID_KINDS[`${m[1]}/:${m[2]}`] });
  const fields = (where: 'body' | 'query', schema: z.ZodType | undefined): void => {
    for (const f of fieldNames(schema))
      if (/(^|_)ids?$/.test(f)) slots.push({ where, name: f, kind: FIELD_ID_KINDS[f] });
  };
  fields('body', route.body);
  fields('query', route.query);
  return slots;
}

/** The operations this test probes: those taking an id, minus the listed exceptions. */
const PROBED = API_ROUTES.filter((r) => idSlots(r).length > 0 && !(routeKey(r) in NOT_OWNER_LOOKUPS));

let h: Harness;
let tokenA: string;
let tokenB: string;
/** B's object of each kind. */
const owned = {} as Record<Kind, string>;

const asB = (): Record<string, string> => ({ Authorization: `Bearer ${tokenB}` });

/** B's objects as B reads them, and what the store holds: compared before and after the run. */
async function snapshotOfB(): Promise<unknown> {
  const get = async (path: string): Promise<unknown> => {
    const res = await request(h.app).get(path).set(asB());
    return { status: res.status, body: res.body as unknown };
  };
  // Every collection but the API keys (a key's use may be recorded on it).
  const names = (await h.db.listCollections().toArray()).map((c) => c.name).filter((n) => !/key/.test(n));
  const stored = Object.fromEntries(
    await Promise.all(
      names.sort().map(async (n) => [n, await h.db.collection(n).find().sort({ _id: 1 }).toArray()] as const),
    ),
  );
  return {
    settings: await get(`/v1/challenges/${CHALLENGE_ID}/settings`),
    assessment: await get(`/v1/assessments/${owned.assessment}`),
    invites: await get(`/v1/assessments/${owned.assessment}/invites`),
    results: await get(`/v1/assessments/${owned.assessment}/results`),
    submission: await get(`/v1/submissions/${owned.submission}?view=owner`),
    webhook: await get(`/v1/webhooks/${owned.webhook}`),
    deliveries: await get(`/v1/webhooks/${owned.webhook}/deliveries`),
    stored,
    counts: await h.counts(),
  };
}

beforeAll(async () => {
  h = await startHarness();
  await h.org.ensureIndexes();
  tokenB = (await issueApiKey(h.apiKeys, FIXTURE_OWNER, 'owner of everything')).token;
  tokenA = (await issueApiKey(h.apiKeys, 'intruder', 'every scope, other organisation')).token;
  owned.challenge = CHALLENGE_ID;
  await request(h.app)
    .put(`/v1/challenges/${CHALLENGE_ID}/settings`)
    .set(asB())
    .send({ open_submissions: true })
    .expect(200);
  const hook = await request(h.app)
    .post('/v1/webhooks')
    .set(asB())
    .send({ url: 'http://127.0.0.1:9/hooks', events: ['invite.expired', 'submission.completed'] })
    .expect(201);
  owned.webhook = hook.body.id as string;
  const assessment = await request(h.app)
    .post('/v1/assessments')
    .set(asB())
    .send({ title: 'B hires', challenge_ids: [CHALLENGE_ID], time_limit_ms: 3_600_000 })
    .expect(201);
  owned.assessment = assessment.body.id as string;
  const invited = await request(h.app)
    .post(`/v1/assessments/${owned.assessment}/invites`)
    .set(asB())
    .send({ candidates: [{ email: 'ada@example.com' }, { email: 'bob@example.com' }] })
    .expect(201);
  const [ada, bob] = invited.body.data as { id: string; token: string }[];
  const session = await request(h.app).post(`/v1/invites/${ada!.token}/start`).expect(201);
  const submitted = await request(h.app)
    .post('/v1/submissions')
    .set('Authorization', `Bearer ${session.body.session_token as string}`)
    .send({ challenge_id: CHALLENGE_ID, files: VALID_FILES })
    .expect(202);
  owned.submission = submitted.body.id as string;
  // Ada finishes: her time used stops counting, so B's results read back the same after the run.
  await request(h.app)
    .post('/v1/session/finish')
    .set('Authorization', `Bearer ${session.body.session_token as string}`)
    .expect(200);
  // Bob's invite expires: the sweep publishes invite.expired, which gives B's webhook a delivery.
  await h.db
    .collection('invites')
    .updateOne({ _id: bob!.id as never }, { $set: { expires_at: new Date(0) } });
  await sweepInvites({ invites: h.org.invites, assessments: h.org.assessments, events: h.org.dispatcher });
  const log = await request(h.app).get(`/v1/webhooks/${owned.webhook}/deliveries`).set(asB()).expect(200);
  owned.delivery = (log.body.data as { id: string }[])[0]!.id;
});

afterAll(async () => {
  await h.close();
});

describe('cross-organisation access on every owner route', () => {
  it('every operation taking an id is probed or listed as no owner lookup with its reason', () => {
    const known = new Set(API_ROUTES.map(routeKey));
    expect(Object.keys(NOT_OWNER_LOOKUPS).filter((k) => !known.has(k))).toEqual([]);
    // A probed operation needs every id it takes mapped to a kind, and a valid body when it has one.
    const unmapped = PROBED.flatMap((r) =>
      idSlots(r)
        .filter((s) => s.kind === undefined)
        .map((s) => `${routeKey(r)}: ${s.where} ${s.name}`),
    );
    expect(unmapped).toEqual([]);
    const withoutBody = PROBED.filter((r) => r.body && !(routeKey(r) in VALID_BODIES)).map(routeKey);
    expect(withoutBody).toEqual([]);
    for (const r of PROBED.filter((x) => x.body)) {
      const ids = Object.fromEntries(idSlots(r).map((s) => [s.kind, owned[s.kind!]]));
      expect(r.body!.safeParse(VALID_BODIES[routeKey(r)]!(ids)).success).toBe(true);
    }
    // The owner routes of every kind are among them (a regression in the table would shrink this set).
    expect(PROBED.map(routeKey)).toEqual(
      expect.arrayContaining([
        'get /v1/challenges/:id/settings',
        'put /v1/challenges/:id/settings',
        'post /v1/embed-tokens',
        'post /v1/assessments',
        'get /v1/assessments/:id/results.csv',
        'get /v1/submissions/:id',
        'get /v1/submissions/:id/report.xml',
        'delete /v1/webhooks/:id',
        'post /v1/webhooks/:id/deliveries/:delivery_id/redeliver',
      ]),
    );
  });

  it("organisation A gets 404 problem+json for B's objects, exactly as for absent ones, and B's objects stay as they were", async () => {
    const before = await snapshotOfB();
    /** An id no object has: a UUID, or any URL-safe text. */
    const absentId = fc.oneof(fc.uuid(), fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/));
    const byKey = new Map(PROBED.map((r) => [routeKey(r), r]));
    // Cases name their operation by key, so a counterexample reads `get /v1/webhooks/:id`.
    const cases = fc.constantFrom(...byKey.keys()).chain((key) =>
      fc.record({
        operation: fc.constant(key),
        // Per id: B's object, or an absent id.
        choices: fc.tuple(
          ...idSlots(byKey.get(key)!).map(() =>
            fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: absentId, weight: 1 }),
          ),
        ),
        absent: fc.tuple(...idSlots(byKey.get(key)!).map(() => absentId)),
        // A valid body, or any JSON (the answer must then still not tell B's ids from absent ones).
        anyBody: byKey.get(key)!.body
          ? fc.oneof(
              { arbitrary: fc.constant(undefined), weight: 3 },
              { arbitrary: fc.jsonValue(), weight: 1 },
            )
          : fc.constant(undefined),
      }),
    );

    const send = async (route: ApiRoute, ids: string[], anyBody: unknown): Promise<Response> => {
      const slots = idSlots(route);
      const byKind: Partial<Record<Kind, string>> = {};
      slots.forEach((s, i) => (byKind[s.kind!] = ids[i]!));
      let path = route.path;
      slots.forEach((s, i) => {
        if (s.where === 'path') path = path.replace(`:${s.name}`, encodeURIComponent(ids[i]!));
      });
      const query = new URLSearchParams(OWNER_QUERY[routeKey(route)] ?? {}).toString();
      const req = request(h.app)
        [route.method](query ? `${path}?${query}` : path)
        .set('Authorization', `Bearer ${tokenA}`);
      if (!route.body) return req;
      const body = anyBody === undefined ? VALID_BODIES[routeKey(route)]!(byKind) : anyBody;
      return req.set('Content-Type', 'application/json').send(JSON.stringify(body));
    };

    await fc.assert(
      fc.asyncProperty(cases, async ({ operation, choices, absent, anyBody }) => {
        const route = byKey.get(operation)!;
        const slots = idSlots(route);
        const ids = slots.map((s, i) => choices[i] ?? owned[s.kind!]);
        const res = await send(route, ids, anyBody);
        const twin = await send(route, absent, anyBody);
        const what = `${routeKey(route)} ids=${JSON.stringify(ids)}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
        if (!/^application\/problem\+json/.test(String(res.headers['content-type'])))
          throw new Error(`not a problem: ${what}`);
        const code = res.body.code as ErrorCode;
        if (!(code in ERROR_CODES)) throw new Error(`no stable code: ${what}`);
        expect(res.body).toMatchObject({ type: problemType(code), status: ERROR_CODES[code].status });
        expect([res.status, res.body.type]).toEqual([twin.status, twin.body.type]);
        if (anyBody === undefined && res.status !== 404) throw new Error(`expected 404: ${what}`);
      }),
      { numRuns: RUNS },
    );

    expect(await snapshotOfB()).toEqual(before);
    for (const list of ['/v1/assessments', '/v1/webhooks', '/v1/submissions']) {
      const res = await request(h.app).get(list).set('Authorization', `Bearer ${tokenA}`).expect(200);
      expect(res.body.data).toEqual([]);
    }
  });
});
