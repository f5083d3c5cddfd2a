import t from 'tap';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Page } from 'playwright-core';
import { buildTestApp, tenantWithKey, type TestApp } from './helpers/app.js';

// /docs and /graphiql in a real browser with no network but this server: each renders, works,
// fetches nothing from elsewhere, and the Content-Security-Policy it is served with blocks
// nothing it needs. A failing check leaves a screenshot in test/output/.

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = new URL('./output/', import.meta.url).pathname;
const skip = !existsSync(CHROMIUM) && `needs ${CHROMIUM} (apt-get install chromium; CI does)`;

type Test = Pick<typeof t, 'teardown' | 'passing' | 'comment'>;

/** A listening app and a page of a fresh, offline browser; what the page tried elsewhere or refused. */
async function openBrowser(t: Test, app: TestApp['app']) {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const profile = mkdtempSync(join(tmpdir(), 'icrm-chromium-'));
  t.teardown(() => rmSync(profile, { recursive: true, force: true }));
  // A new, empty profile; no background traffic (this machine's network is closed anyway).
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  t.teardown(() => browser.close());
  const page = await browser.newPage();
  const problems: string[] = [];
  const elsewhere: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (err) => problems.push(err.message));
  // Nothing but this server: a request elsewhere is recorded and refused, as offline.
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(base) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    elsewhere.push(url);
    return route.abort();
  });
  return { base, page, problems, elsewhere };
}

/** Runs the checks; when one fails, the page as it was is kept as test/output/<name>.png. */
async function withScreenshot(t: Test, page: Page, name: string, checks: () => Promise<void>) {
  try {
    await checks();
  } finally {
    if (!t.passing()) {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true }).catch(() => undefined);
      t.comment(`screenshot: ${join(SHOTS, `${name}.png`)}`);
    }
  }
}

const refusedByPolicy = (problems: string[]) => problems.filter((p) => /Content Security Policy|Refused to/.test(p));

t.test('the /docs page works offline under its CSP', { skip }, async (t) => {
  const { app } = await buildTestApp(t);
  const { base, page, problems, elsewhere } = await openBrowser(t, app);
  await withScreenshot(t, page, 'docs', async () => {
    const response = await page.goto(`${base}/docs`);
    t.equal(response?.status(), 200);
    await page.getByText('Create a person', { exact: false }).first().waitFor({ timeout: 30_000 });
    t.ok(await page.getByText('Informational Interviews API').first().isVisible(), 'the title');
    t.ok((await page.locator('.opblock').count()) >= 30, 'every operation is listed');
    t.same(elsewhere, [], 'nothing was fetched from elsewhere');
    t.same(refusedByPolicy(problems), [], 'the policy refused nothing');
  });
});

t.test('GraphiQL works offline under its CSP: a query with a key shows its result', { skip }, async (t) => {
  const { app, database } = await buildTestApp(t, { GRAPHIQL: 'true' });
  const owner = await tenantWithKey(database, 'Browser Center');
  const { base, page, problems, elsewhere } = await openBrowser(t, app);
  await withScreenshot(t, page, 'graphiql', async () => {
    const response = await page.goto(`${base}/graphiql`);
    t.equal(response?.status(), 200);
    t.match(response?.headers()['content-security-policy'], /default-src 'self'/, 'served with a policy of its own origin');
    await page.locator('.graphiql-query-editor .CodeMirror').waitFor({ timeout: 30_000 });

    // The key goes where a person puts it, the Headers pane; the query in the editor.
    await page.getByText('Headers', { exact: true }).click();
    await page.evaluate((key) => {
      // GraphiQL's editors are CodeMirror 5: each element holds its editor.
      const { document } = globalThis as unknown as { document: { querySelector(selector: string): { CodeMirror: { setValue(v: string): void } } } };
      document.querySelector('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror').CodeMirror.setValue(JSON.stringify({ Authorization: `Bearer ${key}` }));
      document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue('{ viewer { tenant { name } apiKey { scopes } } }');
    }, owner.key);
    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.result-window');
    await result.getByText('Browser Center').waitFor({ timeout: 30_000 });
    t.match(await result.innerText(), /"scopes": \[\s*"READ"/, 'the answer is shown');

    t.same(elsewhere, [], 'nothing was fetched from elsewhere');
    t.same(refusedByPolicy(problems), [], 'the policy refused nothing');
  });
});
