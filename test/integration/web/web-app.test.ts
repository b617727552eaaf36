/**
 * The web app in a real browser (Debian's chromium driven by playwright-core) against the real API, store,
 * BullMQ queue and a runner grading in real pods, with its warm pool as deployed. The candidate's whole flow
 * grades the orders-api reference; every other grading uses the small attack-lab challenge to keep them
 * short. The API's catalog is a copy of both, attack-lab's with an `owner`, so reviewer sign-in and embed
 * tokens work (same ids and contents, so the runner's images are the challenges' own). Times from upload
 * to the first progress event and to the report are measured and printed, never asserted. Screenshots go
 * to STACKGRADE_SCREENSHOTS_DIR when set (docs/screenshots/ refreshes the documentation's).
 */
import { randomUUID } from 'node:crypto';
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'bullmq';
import IORedis from 'ioredis';
import { MongoClient } from 'mongodb';
import pino from 'pino';
import { chromium, type BrowserContext, type Frame, type Locator, type Page } from 'playwright-core';
import { createApp } from '../../../api/app';
import { MongoApiKeyStore } from '../../../api/data-access/api-key-store';
import { MongoSubmissionStore } from '../../../api/data-access/submission-store';
import { issueApiKey } from '../../../api/domain/issue-api-key';
import { BullMqGradeQueue } from '../../../api/queue/grade-queue';
import { createOrgServices, type OrgServices } from '../../../api/org-services';
import { BullMqProgressFeed } from '../../../api/queue/progress-feed';
import { packDirectory } from '../../../runner/archive';
import { ChallengeCatalog } from '../../../runner/contract/challenge-catalog';
import { WarmPodPool } from '../../../runner/grading/warm-pod-pool';
import { loadRunnerConfig } from '../../../runner/config';
import { GradingEnvironment } from '../../../runner/grading/grading-environment';
import { logger } from '../../../runner/lib/logger';
import { createGradeProcessor } from '../../../runner/worker/grade-processor';
import { SubmissionRepository } from '../../../runner/worker/submission-repository';
import { buildWebApp } from '../../../scripts/build-web';
import type { SubmissionDocument } from '../../../runner/contract/submission.schema';
import { buildReport } from '../../../runner/grading/build-report';
import { graderCheck, podOutcome } from '../../support/report-fixtures';

const MONGODB_URI = process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ATTACK_DIR = path.resolve(__dirname, '..', '..', 'attacks', 'challenge');
const ORDERS_API_DIR = path.resolve(__dirname, '..', '..', '..', 'challenges', 'orders-api');
/**
 * Where screenshots go: `STACKGRADE_SCREENSHOTS_DIR` (`docs/screenshots` refreshes the documentation's), else
 * the test's temporary folder, so a test run leaves the repository unchanged.
 */
const SCREENSHOTS_DIR = process.env.STACKGRADE_SCREENSHOTS_DIR;
const OWNER = 'web-test-org';
const AXE_SOURCE = require.resolve('axe-core/axe.min.js');

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}

/** axe-core on a page or frame: the violations of impact serious or critical (WCAG 2.x A/AA rules). */
async function seriousViolations(page: Page | Frame): Promise<string[]> {
  // Evaluated through the DevTools protocol: the page's CSP (no inline script) stays as served.
  await page.evaluate(await readFile(AXE_SOURCE, 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run: (
            o: unknown,
          ) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const r = await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return r.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * Moves the keyboard focus with Tab (Shift+Tab when `back`) until `target` has it, then checks the focus is
 * visible: an outline of at least 2 px (WCAG 2.2 SC 2.4.7 Focus Visible, 2.4.11 Focus Not Obscured).
 *
 * @throws when `target` is not reached within `max` presses (not in the tab order).
 */
async function tabTo(page: Page, target: Locator, { back = false, max = 80 } = {}): Promise<void> {
  await target.waitFor();
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    if (await target.evaluate((el) => el === el.ownerDocument.activeElement, undefined, { timeout: 5_000 })) {
      const outline = await target.evaluate((el) => {
        const st = el.ownerDocument.defaultView!.getComputedStyle(el);
        return { style: st.outlineStyle, width: parseFloat(st.outlineWidth) };
      });
      expect(outline.style).not.toBe('none');
      expect(outline.width).toBeGreaterThanOrEqual(2);
      return;
    }
  }
  throw new Error(`${target.toString()} was not reached with ${back ? 'Shift+Tab' : 'Tab'}`);
}

/**
 * Tabs to a file field and opens it with Space (then Enter), choosing `file` in the file chooser (keyboard
 * only). A key press that opened no chooser within 5 s is tried again: headless chromium has been seen to
 * drop the first one right after a reload.
 */
async function chooseFileByKeyboard(page: Page, field: Locator, file: string): Promise<void> {
  await tabTo(page, field);
  for (const key of ['Space', 'Enter', 'Space']) {
    const chooser = page.waitForEvent('filechooser', { timeout: 5_000 }).catch(() => null);
    await page.keyboard.press(key);
    const opened = await chooser;
    if (opened) return opened.setFiles(file);
    await field.focus();
  }
  throw new Error(`no file chooser opened from ${field.toString()}`);
}

describe('web app in a real browser', () => {
  const queueName = `test-web-${randomUUID().slice(0, 8)}`;
  const dbName = `t_${randomUUID().slice(0, 8)}`;
  let tmp: string;
  let mongo: MongoClient;
  let queue: BullMqGradeQueue;
  let progress: BullMqProgressFeed;
  let worker: Worker;
  let workerRedis: IORedis;
  let env: GradingEnvironment;
  let org: OrgServices;
  let server: Server;
  let base: string;
  let browser: BrowserContext;
  let apiCatalog: ChallengeCatalog;
  let referenceArchive: string;
  let starterArchive: string;
  let ordersReferenceArchive: string;
  let ownerToken: string;
  const submitted: string[] = [];
  /** The path of a screenshot file. */
  const shot = (name: string): string => path.resolve(SCREENSHOTS_DIR ?? path.join(tmp, 'screenshots'), name);
  let assessmentId: string | undefined;
  let secondInviteToken: string | undefined;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'sg-web-'));
    await buildWebApp(path.join(tmp, 'dist'));
    await cp(path.join(ATTACK_DIR, 'attack-lab'), path.join(tmp, 'challenges', 'attack-lab'), {
      recursive: true,
    });
    // The runner's catalog: links to both challenges as they are (their hidden tests import the grader by
    // relative path); the API's: copies, attack-lab's owned.
    const runnerChallenges = path.join(tmp, 'runner-challenges');
    await mkdir(runnerChallenges);
    await symlink(path.join(ATTACK_DIR, 'attack-lab'), path.join(runnerChallenges, 'attack-lab'));
    await symlink(ORDERS_API_DIR, path.join(runnerChallenges, 'orders-api'));
    await cp(ORDERS_API_DIR, path.join(tmp, 'challenges', 'orders-api'), { recursive: true });
    await appendFile(path.join(tmp, 'challenges', 'attack-lab', 'challenge.yaml'), `owner: ${OWNER}\n`);
    apiCatalog = await ChallengeCatalog.load(path.join(tmp, 'challenges'));
    referenceArchive = path.join(tmp, 'reference.tar.gz');
    starterArchive = path.join(tmp, 'starter.tar.gz');
    await writeFile(referenceArchive, await packDirectory(path.join(ATTACK_DIR, 'attack-lab', 'reference')));
    await writeFile(starterArchive, await packDirectory(path.join(ATTACK_DIR, 'attack-lab', 'starter')));
    ordersReferenceArchive = path.join(tmp, 'orders-api-reference.tar.gz');
    await writeFile(ordersReferenceArchive, await packDirectory(path.join(ORDERS_API_DIR, 'reference')));

    const quiet = logger.child({}, { level: 'warn' });
    env = await GradingEnvironment.create(
      loadRunnerConfig({ ...process.env, CHALLENGES_DIR: runnerChallenges }),
      quiet,
    );
    // One warm pod of each challenge, as the runner keeps by default (WARM_PODS = its concurrency, 1);
    // orders-api's pod starts up while the browser starts.
    await env.startWarmPool(1, 600_000);
    mongo = await MongoClient.connect(MONGODB_URI);
    const db = mongo.db(dbName);
    queue = new BullMqGradeQueue({ redisUrl: REDIS_URL, queueName, logger: pino({ level: 'silent' }) });
    progress = new BullMqProgressFeed({ redisUrl: REDIS_URL, queueName });
    await progress.ready();
    org = createOrgServices({
      db,
      catalog: apiCatalog,
      redisUrl: REDIS_URL,
      logger: pino({ level: 'silent' }),
      inviteLinkBase: 'http://127.0.0.1/app/invites/',
      webhookQueueName: `${queueName}-webhooks`,
    });
    await org.ensureIndexes();
    const processor = createGradeProcessor(env, new SubmissionRepository(db), quiet, (id) =>
      org.submissionFinished(id),
    );
    worker = new Worker(queueName, processor, {
      connection: (workerRedis = new IORedis(REDIS_URL, { maxRetriesPerRequest: null })),
      concurrency: 1,
    });
    const apiKeys = new MongoApiKeyStore(db);
    ownerToken = (await issueApiKey(apiKeys, OWNER, 'web test')).token;
    const app = createApp({
      store: new MongoSubmissionStore(db),
      apiKeys,
      queue,
      catalog: apiCatalog,
      logger: pino({ level: 'silent' }),
      progress,
      webSecret: randomUUID() + randomUUID(),
      webDistDir: path.join(tmp, 'dist'),
      org,
    });
    server = createServer(app);
    base = await listen(server);
    browser = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
      headless: true,
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    console.log('web: closing');
    await browser?.close();
    // Event streams and keep-alive sockets would hold close() open.
    server?.closeAllConnections();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    await worker?.close();
    await env?.close();
    await workerRedis?.quit();
    await progress?.close();
    await org?.dispatcher.queue.obliterate({ force: true }).catch(() => undefined);
    await org?.close();
    await queue?.queue.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await mongo?.db(dbName).dropDatabase();
    await mongo?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }, 60_000);

  /** Stores a completed submission of attack-lab with `report` (no grading); returns its id. */
  async function storeGraded(report: NonNullable<SubmissionDocument['report']>): Promise<string> {
    const id = randomUUID();
    const now = new Date();
    await mongo
      .db(dbName)
      .collection<SubmissionDocument>('submissions')
      .insertOne({
        _id: id,
        challenge_id: 'attack-lab',
        challenge_version: report.challenge.version,
        status: 'completed',
        attempt: 1,
        created_at: now,
        updated_at: now,
        leased_by: null,
        lease_until: null,
        archive_sha256: '0'.repeat(64),
        archive_bytes: 0,
        report,
        error: null,
      });
    return id;
  }

  /** A JSON request with the organisation's API key; resolves to the parsed body of a 2xx answer. */
  async function asOwner<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { Authorization: `Bearer ${ownerToken}`, 'Content-Type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  /**
   * From the catalog, opens the challenge titled `title`, uploads `archive` through the page's upload
   * control and follows the submission to its report; returns its id and the times from the click on
   * Submit to the first progress event and to the report, ms.
   */
  async function uploadAndFollow(
    page: Page,
    title: string,
    archive: string,
  ): Promise<{ id: string; firstEventMs: number; reportMs: number }> {
    await page.goto(`${base}/app/`);
    await page.getByRole('link', { name: title }).click();
    await page.getByRole('heading', { name: 'Statement' }).waitFor();
    await page.getByLabel('Solution archive (.zip, .tar.gz or .tgz)').setInputFiles(archive);
    const t0 = Date.now();
    await page.getByRole('button', { name: 'Submit for grading' }).click();
    await page.locator('[data-testid="progress-events"] li').first().waitFor({ timeout: 120_000 });
    const firstEventMs = Date.now() - t0;
    await page.getByTestId('report').waitFor({ timeout: 300_000 });
    const reportMs = Date.now() - t0;
    return { id: page.url().split('/').pop()!, firstEventMs, reportMs };
  }

  it('a candidate uploads the orders-api reference, sees progress events through each stage and a report of 100', async () => {
    const page = await browser.newPage();
    const csp: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') csp.push(m.text());
    });
    await page.goto(`${base}/app/`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: shot('challenges.png'), fullPage: true });
    await page.getByRole('link', { name: 'Attack lab notes' }).click();
    await page.getByRole('heading', { name: 'Statement' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: shot('challenge.png'), fullPage: true });

    // As deployed, the runner holds a warm pod of orders-api (it started up while the browser did).
    const orders = env.challenge('orders-api').manifest;
    await env.ctx.pool!.whenFull(WarmPodPool.key('orders-api', orders.version, orders.runtimes[0]!));
    const t = await uploadAndFollow(page, 'Orders API', ordersReferenceArchive);
    const stages = await page
      .locator('[data-testid="progress-events"] li')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-stage')));
    // Every stage after the upload, in order (a stage the page connected too late for is replayed).
    expect(stages.filter((st) => st !== 'queued')).toEqual(['installing', 'pod_starting', 'checks', 'done']);
    await expect(page.getByTestId('overall-score').textContent()).resolves.toBe('Overall score: 100%');
    expect(await page.locator('li.check[data-status="fail"]').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: shot('report.png'), fullPage: true });
    expect(csp).toEqual([]);
    console.log(
      `[web] orders-api reference: upload→first progress ${t.firstEventMs} ms, upload→report ${t.reportMs} ms`,
    );
    await page.close();
  });

  it("a failing solution's report shows its failed checks with their messages", async () => {
    const page = await browser.newPage();
    const t = await uploadAndFollow(page, 'Attack lab notes', starterArchive);
    submitted.push(t.id);
    const failed = page.locator('li.check[data-status="fail"]');
    expect(await failed.count()).toBeGreaterThan(0);
    expect(await page.getByTestId('overall-score').textContent()).not.toBe('Overall score: 100%');
    expect(await seriousViolations(page)).toEqual([]);
    console.log(
      `web: attack-lab starter, upload → first progress event ${t.firstEventMs} ms, → report ${t.reportMs} ms`,
    );
    await page.close();
  });

  it('a wrong file type is refused before any upload, and a runtime that does not match the archive by the API, with clear messages', async () => {
    const page = await browser.newPage();
    const uploads: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST') uploads.push(r.url());
    });
    await page.goto(`${base}/app/challenges/attack-lab`);
    await page.getByLabel('Solution archive (.zip, .tar.gz or .tgz)').setInputFiles({
      name: 'solution.rar',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('not an archive'),
    });
    await expect(page.getByTestId('upload-error').textContent()).resolves.toContain(
      'is not a .zip, .tar.gz or .tgz',
    );
    await page.getByRole('button', { name: 'Submit for grading' }).click();
    expect(uploads).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);

    // A runtime the candidate names must match the archive: the API's refusal is shown as it says it.
    await page.getByLabel('Runtime').selectOption('go');
    await page.getByLabel('Solution archive (.zip, .tar.gz or .tgz)').setInputFiles(referenceArchive);
    await page.getByRole('button', { name: 'Submit for grading' }).click();
    await expect(page.getByTestId('upload-error').textContent()).resolves.toContain('go.mod');
    expect(uploads).toHaveLength(1);
    expect(uploads[0]).toContain('runtime=go');
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto(`${base}/app/no-such-page`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('the embedded flow on another origin posts started, submitted and completed with scores to its host', async () => {
    const hostHtml = await readFile(
      path.resolve(__dirname, '..', '..', '..', 'docs', 'embed-host-sample.html'),
      'utf8',
    );
    const host = createServer((_req, res) =>
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(hostHtml),
    );
    const hostBase = await listen(host);
    try {
      const { token } = (await (
        await fetch(`${base}/v1/embed-tokens`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${ownerToken}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ challenge_id: 'attack-lab', parent_origin: hostBase }),
        })
      ).json()) as { token: string };
      const page = await browser.newPage();
      await page.goto(
        `${hostBase}/?stackgrade=${encodeURIComponent(base)}&token=${encodeURIComponent(token)}`,
      );
      const frame = page.frameLocator('iframe');
      await frame.getByRole('heading', { name: 'Statement' }).waitFor();
      await frame.getByLabel('Solution archive (.zip, .tar.gz or .tgz)').setInputFiles(referenceArchive);
      await frame.getByRole('button', { name: 'Submit for grading' }).click();
      await page.locator('#events li[data-type="completed"]').waitFor({ timeout: 300_000 });
      const events = await page.evaluate(
        () =>
          (
            globalThis as unknown as {
              stackgradeEvents: { type: string; submission_id?: string; scores?: { overall: number } }[];
            }
          ).stackgradeEvents,
      );
      expect(events.map((e) => e.type)).toEqual(['started', 'submitted', 'completed']);
      expect(events[2]!.scores?.overall).toBe(100);
      // The reviewer's tests compare this graded reference with the failing starter.
      submitted.push(events[2]!.submission_id!);
      const embedded = page.frames().find((f) => f.url().startsWith(`${base}/app/embed`));
      expect(embedded).toBeDefined();
      expect(await seriousViolations(embedded!)).toEqual([]);
      await page.screenshot({ path: shot('embed.png'), fullPage: true });
      await page.close();
    } finally {
      host.closeAllConnections();
      await new Promise((r) => host.close(r));
    }
  });

  it('a reviewer signs in with the organisation key (keyboard only), sorts the results and compares two submissions', async () => {
    expect(submitted.length).toBe(2);
    const page = await browser.newPage();
    await page.goto(`${base}/app/review`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Organisation API key').focus();
    await page.keyboard.type(ownerToken);
    await page.keyboard.press('Enter');
    await page.getByTestId('results-table').waitFor();
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'sg_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Strict');
    expect(await page.locator('[data-testid="results-table"] tbody tr').count()).toBe(2);
    await page.getByRole('button', { name: 'Overall', exact: true }).click();
    const overall = await page
      .locator('[data-testid="results-table"] tbody tr td:nth-child(5)')
      .allTextContents();
    expect(overall[overall.length - 1]).toBe('100%');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: shot('review-results.png'), fullPage: true });

    for (const id of submitted) await page.locator(`#pick-${id}`).check();
    await page.getByRole('button', { name: 'Compare selected (2/2)' }).click();
    await page.getByTestId('compare-table').waitFor();
    expect(
      await page.locator('[data-testid="compare-table"] tr[data-differs="true"]').count(),
    ).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: shot('review-compare.png'), fullPage: true });

    // The starter's report: its failed checks carry evidence.
    await page.goto(`${base}/app/review/submissions/${submitted[0]}`);
    await page.getByTestId('report').waitFor();
    expect(await page.locator('details summary').count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('a candidate, with the keyboard only, opens the invite link, reads the rules, starts the timer, submits within the assessment and sees the report at its feedback tier', async () => {
    const assessment = await asOwner<{ id: string }>('POST', '/v1/assessments', {
      title: 'Attack lab screening',
      challenge_ids: ['attack-lab'],
      time_limit_ms: 30 * 60_000,
      max_attempts: 2,
      feedback: 'scores',
    });
    assessmentId = assessment.id;
    const invites = await asOwner<{ data: { token: string; link: string }[] }>(
      'POST',
      `/v1/assessments/${assessment.id}/invites`,
      { candidates: [{ email: 'ada@example.com', name: 'Ada Lovelace' }, { email: 'bob@example.com' }] },
    );
    const invite = invites.data[0]!;
    secondInviteToken = invites.data[1]!.token;
    expect(invite.link.endsWith(`/app/invites/${invite.token}`)).toBe(true);

    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    await page.goto(`${base}/app/invites/${invite.token}`);
    await page.getByRole('heading', { name: 'Attack lab screening' }).waitFor();
    await expect(page.getByTestId('time-limit').textContent()).resolves.toBe('30:00');
    await expect(page.getByTestId('rules').textContent()).resolves.toContain('Up to 2 submissions');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: shot('invite.png'), fullPage: true });

    // Keyboard only from here: Tab/Shift+Tab to move, Enter/Space to operate, each focus visibly marked.
    await tabTo(page, page.getByRole('button', { name: 'Start the assessment' }));
    await page.keyboard.press('Enter');
    const timer = page.getByTestId('time-left');
    await timer.waitFor();
    const [mm, ss] = (await timer.textContent())!.split(':').map(Number);
    const leftS = mm! * 60 + ss!;
    expect(leftS).toBeGreaterThan(0);
    expect(leftS).toBeLessThanOrEqual(30 * 60);
    await page.getByRole('heading', { name: 'Statement' }).waitFor();
    // A reload keeps the running assessment (the invite itself is used up).
    await page.reload();
    await page.getByRole('heading', { name: 'Statement' }).waitFor();
    await timer.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: shot('assessment.png'), fullPage: true });

    // The drop zone's file field is in the tab order; Space opens the file chooser.
    await chooseFileByKeyboard(
      page,
      page.getByLabel('Solution archive (.zip, .tar.gz or .tgz)'),
      referenceArchive,
    );
    await page.getByText('Ready: reference.tar.gz').waitFor();
    await tabTo(page, page.getByRole('button', { name: 'Submit for grading' }));
    const t0 = Date.now();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="progress-events"] li').first().waitFor({ timeout: 120_000 });
    const firstEventMs = Date.now() - t0;
    await page.getByTestId('report').waitFor({ timeout: 300_000 });
    const reportMs = Date.now() - t0;
    // Tier `scores`: the scores, no checks.
    await expect(page.getByTestId('overall-score').textContent()).resolves.toBe('Overall score: 100%');
    expect(await page.locator('li.check').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    console.log(
      `web: attack-lab reference in an assessment, upload → first progress event ${firstEventMs} ms, → report ${reportMs} ms`,
    );

    await tabTo(page, page.getByRole('link', { name: 'Back to the assessment' }), { back: true });
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('attempts').textContent()).resolves.toBe(
      'attack-lab: 1 of 2 submissions used',
    );
    await tabTo(page, page.getByRole('button', { name: 'Finish the assessment' }));
    await page.keyboard.press('Enter');
    await page.getByTestId('assessment-finished').waitFor();
    expect(await page.getByRole('button', { name: 'Submit for grading' }).count()).toBe(0);
    // The ended assessment's session token is not kept in the browser.
    expect(
      await page.evaluate(() =>
        (
          globalThis as unknown as { localStorage: { getItem(k: string): string | null } }
        ).localStorage.getItem('sg_candidate_session'),
      ),
    ).toBeNull();
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it("a reviewer sees the assessment's candidates and results, sorts and filters them, compares two and opens a report, with the keyboard only", async () => {
    expect(assessmentId).toBeDefined();
    // The second candidate starts and submits the starter through the HTTP API, as a script would.
    const started = (await (
      await fetch(`${base}/v1/invites/${secondInviteToken}/start`, { method: 'POST' })
    ).json()) as { session_token: string };
    const accepted = await fetch(`${base}/v1/submissions?challenge_id=attack-lab`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${started.session_token}`, 'Content-Type': 'application/gzip' },
      body: await readFile(starterArchive),
    });
    expect(accepted.status).toBe(202);
    const { id: secondId } = (await accepted.json()) as { id: string };
    for (let status = 'queued'; status === 'queued' || status === 'running';) {
      await new Promise((r) => setTimeout(r, 250));
      status = ((await (await fetch(`${base}/v1/submissions/${secondId}`)).json()) as { status: string })
        .status;
    }

    const page = await browser.newPage();
    await page.goto(`${base}/app/review`);
    const table = page.getByTestId('assessment-results');
    await table.waitFor();
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    const firstCells = async (): Promise<string[]> =>
      rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('td')?.textContent ?? ''));
    expect(await firstCells()).toEqual(['Ada Lovelace (ada@example.com)', 'bob@example.com']);
    // Keyboard only: sort buttons with Enter/Space, the filters typed into, checkboxes ticked with Space.
    await tabTo(page, page.getByRole('button', { name: 'Candidate', exact: true }));
    await page.keyboard.press('Enter');
    expect(await firstCells()).toEqual(['bob@example.com', 'Ada Lovelace (ada@example.com)']);
    await expect(rows.first().locator('td').nth(1).textContent()).resolves.toBe('started');
    await tabTo(page, page.getByRole('button', { name: 'attack-lab overall', exact: true }));
    await page.keyboard.press('Space');
    const scores = await table.locator('tr[data-invite] td.num a').allTextContents();
    expect(scores[scores.length - 1]).toBe('100%');
    expect(scores[0]).not.toBe('100%');

    // Back up to the filters; a closed select takes the typed first letter of an option.
    await tabTo(page, page.locator('#candidate-status'), { back: true });
    await page.keyboard.press('c');
    expect(await firstCells()).toEqual(['Ada Lovelace (ada@example.com)']);
    await page.keyboard.press('Home');
    expect(await page.locator('#candidate-status').inputValue()).toBe('');
    await tabTo(page, page.getByLabel('Filter by candidate'), { back: true });
    await page.keyboard.type('bob');
    expect(await firstCells()).toEqual(['bob@example.com']);
    for (let i = 0; i < 3; i++) await page.keyboard.press('Backspace');
    expect(await firstCells()).toHaveLength(2);
    expect(await seriousViolations(page)).toEqual([]);

    await tabTo(page, page.getByLabel("Pick Ada Lovelace's attack-lab submission for comparison"));
    await page.keyboard.press('Space');
    await tabTo(page, page.getByLabel("Pick bob@example.com's attack-lab submission for comparison"));
    await page.keyboard.press('Space');
    await page.screenshot({ path: shot('review-assessments.png'), fullPage: true });
    await tabTo(page, page.getByRole('button', { name: 'Compare picked candidates (2/2)' }), { back: true });
    await page.keyboard.press('Enter');
    await page.getByTestId('compare-table').waitFor();
    expect(
      await page.locator('[data-testid="compare-table"] tr[data-differs="true"]').count(),
    ).toBeGreaterThan(0);
    // The browser's Back (its Alt+Left shortcut is the browser's, not the page's, in headless chromium).
    await page.goBack();

    await tabTo(page, page.getByTestId('assessment-results').getByRole('link', { name: '100%' }));
    await page.keyboard.press('Enter');
    await page.getByTestId('report').waitFor();
    expect(await page.locator('details summary').count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('candidate text (service log, check messages, evidence) is shown as text, never run as markup', async () => {
    const hostile = '<img src=x onerror="globalThis.__xss=1"><script>globalThis.__xss=1</script>';
    const manifest = apiCatalog.get('attack-lab')!.manifest;
    const report = buildReport(manifest, {
      outcome: podOutcome(
        manifest.checks.map((c) =>
          graderCheck(c.id, 'fail', { message: `${c.id}: ${hostile}`, evidence: { response: hostile } }),
        ),
        { candidateLog: `listening\n${hostile}\n` },
      ),
      setupFailure: null,
      runtime: 'runsc',
      timingsMs: {},
    });
    const id = await storeGraded(report);

    const page = await browser.newPage();
    // The reviewer's page shows all of it: every message, the evidence and the service log.
    await page.goto(`${base}/app/review/submissions/${id}`);
    await page.getByTestId('report').waitFor();
    for (const d of await page.locator('details').all()) await d.evaluate((e) => e.setAttribute('open', ''));
    await expect(page.getByTestId('service-log').textContent()).resolves.toContain(hostile);
    expect(await page.locator('.check-message').first().textContent()).toContain(hostile);
    expect(await page.locator('[data-testid="report"] img, [data-testid="report"] script').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
    await page.close();
  });

  it('a candidate starts a practice run from the challenge page with the keyboard and reads its practice report: only the practice checks, in full, no score, no overall in the results list', async () => {
    const page = await browser.newPage();
    const uploads: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST') uploads.push(r.url());
    });
    await page.goto(`${base}/app/challenges/attack-lab`);
    await page.getByRole('heading', { name: 'Statement' }).waitFor();
    await chooseFileByKeyboard(
      page,
      page.getByLabel('Solution archive (.zip, .tar.gz or .tgz)'),
      starterArchive,
    );
    await tabTo(page, page.getByRole('button', { name: 'Start a practice run' }));
    const t0 = Date.now();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Practice report (not scored)' }).waitFor({ timeout: 300_000 });
    const reportMs = Date.now() - t0;
    expect(uploads).toHaveLength(1);
    expect(uploads[0]).toContain('mode=practice');
    await page.getByTestId('practice-note').waitFor();
    expect(await page.getByTestId('overall-score').count()).toBe(0);
    // Unscored in the organisation's results list too: no overall rather than a zero.
    const id = page.url().split('/').pop()!;
    const rows = (await asOwner<{ data: { id: string; overall: number | null }[] }>('GET', '/v1/submissions'))
      .data;
    expect(rows.find((r) => r.id === id)?.overall).toBeNull();
    const practiceIds = apiCatalog
      .get('attack-lab')!
      .manifest.checks.filter((c) => c.practice)
      .map((c) => c.id);
    expect(practiceIds.length).toBeGreaterThan(0);
    // Progress counts the checks that run: the practice checks, not the whole manifest.
    await expect(
      page.locator('[data-testid="progress-events"] li[data-stage="checks"]').last().textContent(),
    ).resolves.toMatch(new RegExp(`/${practiceIds.length}$`));
    expect(
      await page.locator('li.check').evaluateAll((els) => els.map((e) => e.getAttribute('data-check'))),
    ).toEqual(practiceIds);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: shot('practice-report.png'), fullPage: true });
    console.log(`web: attack-lab starter practice run, upload → practice report ${reportMs} ms`);

    // Where the organisation takes no open submissions, no practice run is offered.
    const settings = async (open: boolean): Promise<void> => {
      const res = await fetch(`${base}/v1/challenges/attack-lab/settings`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${ownerToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ open_submissions: open }),
      });
      expect(res.status).toBe(200);
    };
    await settings(false);
    try {
      await page.goto(`${base}/app/challenges/attack-lab`);
      await page.getByRole('button', { name: 'Submit for grading' }).waitFor();
      expect(await page.getByRole('button', { name: 'Start a practice run' }).count()).toBe(0);
    } finally {
      await settings(true);
    }
    await page.close();
  });
});
