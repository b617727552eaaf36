/**
 * Hidden tests of `three-engines`, the engine test challenge: one probe of each kind (PostgreSQL rows and
 * statements, Redis counters and TTLs, MongoDB documents and command counters) through `ctx.services`, and the
 * pod's isolation as the candidate's own service reports it.
 */
import {
  allOf,
  cacheHit,
  countCommands,
  defineCheck,
  expect,
  keysExpire,
  must,
  runSuite,
  serviceOf,
  type CheckContext,
} from '../../../../../../grader';

const pg = (ctx: CheckContext) => serviceOf(ctx.services, 'db', 'postgres');
const cache = (ctx: CheckContext) => serviceOf(ctx.services, 'cache', 'redis');
const docs = (ctx: CheckContext) => serviceOf(ctx.services, 'docs', 'mongodb');

/** Creates a note through the candidate's API and returns its id (the fixture of the cache check). */
async function createNote(ctx: CheckContext, body: string): Promise<number> {
  const r = await ctx.app.request({ method: 'POST', path: '/notes', body: { body } });
  const id = (r.json as { id?: unknown } | null)?.id;
  expect(r.status >= 200 && r.status < 300 && typeof id === 'number', `POST /notes answered ${r.status}.`);
  return id;
}

const checks = [
  defineCheck('c-health', async (ctx) => {
    const r = await ctx.app.request({ path: '/health' });
    expect(r.status === 200, `GET /health answered ${r.status}.`);
  }),
  defineCheck('c-note-stored', async (ctx) => {
    const body = `note-${ctx.rng.token(10)}`;
    const id = await createNote(ctx, body);
    const rows = await pg(ctx).db.query<{ body: string }>('SELECT body FROM notes WHERE id = $1', [id]);
    expect(rows[0]?.body === body, `note ${id} is not stored in PostgreSQL with the posted body.`);
  }),
  defineCheck('c-event-stored', async (ctx) => {
    const type = `event-${ctx.rng.token(10)}`;
    const r = await ctx.app.request({ method: 'POST', path: '/events', body: { type } });
    expect(r.status === 201, `POST /events answered ${r.status}.`);
    const n = await docs(ctx).db.collection('events').countDocuments({ type });
    expect(n === 1, `MongoDB holds ${n} events of the posted type, expected 1.`);
  }),
  defineCheck('c-products-seeded', async (ctx) => {
    const want = await docs(ctx).db.collection('products').countDocuments({});
    const r = await ctx.app.request({ path: '/products/count' });
    ctx.evidence.seeded = want;
    expect(want > 0, 'the seeded products are missing from the image.');
    expect(
      (r.json as { count?: unknown } | null)?.count === want,
      `GET /products/count did not answer ${want}.`,
    );
  }),
  defineCheck('q-note-cached', async (ctx) => {
    const id = await createNote(ctx, `cached-${ctx.rng.token(10)}`);
    const send = () => ctx.app.request({ path: `/notes/${id}` });
    must(
      ctx,
      allOf({
        hit: await cacheHit(cache(ctx).redis, {
          label: `GET /notes/${id}`,
          send,
          dbWork: async (again) => {
            const { result, delta } = await pg(ctx).db.measure(again);
            return { response: result, work: delta.statements };
          },
        }),
        ttl: await keysExpire(cache(ctx).redis, 'note:*', 300),
      }),
    );
  }),
  defineCheck('q-event-count-commands', async (ctx) => {
    const type = `count-${ctx.rng.token(10)}`;
    const { result, commands, total } = await countCommands(docs(ctx).db, () =>
      ctx.app.request({ path: `/events/count?type=${type}` }),
    );
    ctx.evidence.commands = commands;
    expect(result.status === 200, `GET /events/count answered ${result.status}.`);
    expect(total === 1, `GET /events/count ran ${total} MongoDB commands, expected 1.`, commands);
  }),
  defineCheck('s-isolation', async (ctx) => {
    const r = await ctx.app.request({ path: '/reach' });
    const reached = (r.json ?? {}) as Record<string, unknown>;
    ctx.evidence.reach = reached;
    const allowed = Object.entries(reached).filter(([, v]) => v !== 'denied');
    expect(r.status === 200 && Object.keys(reached).length > 0, `GET /reach answered ${r.status}.`);
    expect(allowed.length === 0, `the service reached ${allowed.map(([k]) => k).join(', ')}.`);
  }),
];

void runSuite({ healthPath: '/health', checks });
