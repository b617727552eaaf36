/**
 * Fault: the submission store (a private FerretDB, started like setup-host.sh's: SQLite in WAL mode with
 * synchronous=NORMAL) is killed with SIGKILL while submissions stream in. Every submission the API answered
 * 202 is there after a restart on the same data, with its archive; nothing half-written is left (an archive
 * without its document is the sweeper's, runner/worker/archive-sweeper.ts, and is counted, not failed).
 * This is the durability setup-host.sh's commit-sync setting promises: a crash of the store process loses
 * no acknowledged write.
 */
import type { SubmissionDocument } from '../../../runner/contract/submission.schema';
import { reportRecovery, sleep, startApi, starterFiles, submit, useFaultStack, waitFor } from './support';

describe('fault: store killed while submissions stream in', () => {
  const f = useFaultStack({ privateFerret: true });

  it('FerretDB SIGKILLed under a stream of POSTs: every 202 survives the restart with its archive', async () => {
    const { stack, ferret, children } = f;
    const { api, url } = await startApi(stack);
    children.push(api);
    const files = await starterFiles();

    // Four clients POST back to back until the store is gone; then the store is restarted on its data.
    const accepted: string[] = [];
    const refused: number[] = [];
    let stop = false;
    const client = async (): Promise<void> => {
      while (!stop) {
        const r = await submit(url, files).catch(() => null);
        if (r?.status === 202) accepted.push(r.body.id as string);
        else refused.push(r?.status ?? 0);
      }
    };
    const clients = [0, 1, 2, 3].map(() => client());
    await waitFor('40 accepted submissions', () => (accepted.length >= 40 ? true : undefined), 60_000, 20);
    const killedAt = Date.now();
    await ferret.kill();
    await sleep(1_000);
    stop = true;
    await Promise.all(clients);
    expect(refused.length).toBeGreaterThan(0);
    for (const status of refused) expect(status).toBe(503);

    await ferret.start();
    const db = f.mongo.db(stack.dbName);
    const docs = await waitFor(
      'the restarted store to answer',
      () =>
        db
          .collection<SubmissionDocument>('submissions')
          .find({}, { projection: { _id: 1, status: 1, archive_sha256: 1 } })
          .toArray(),
      30_000,
      500,
    );
    const byId = new Map(docs.map((d) => [d._id, d]));
    const missing = accepted.filter((id) => !byId.has(id));
    expect(missing).toEqual([]);
    const archives = await db
      .collection<{ _id: string }>('archives')
      .find({}, { projection: { _id: 1 } })
      .toArray();
    const archiveIds = new Set(archives.map((a) => a._id));
    expect(accepted.filter((id) => !archiveIds.has(id))).toEqual([]);
    for (const id of accepted) expect(byId.get(id)?.status).toBe('queued');
    const orphans = archives.filter((a) => !byId.has(a._id)).length;
    reportRecovery(
      'FerretDB SIGKILL under a stream of POSTs',
      Date.now() - killedAt,
      `${accepted.length} accepted, all stored with their archives; ${refused.length} refused (503); ${orphans} archive(s) without a document left to the sweeper`,
    );
  });
});
