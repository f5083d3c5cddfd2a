import t from 'tap';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { buildTestApp } from './helpers/app.js';

// /docs in a real browser with no network but this server: it renders the reference, and the
// Content-Security-Policy it is served with blocks nothing it needs.

const CHROMIUM = '/usr/bin/chromium';

t.test('the /docs page works offline under its CSP', { skip: !existsSync(CHROMIUM) && `needs ${CHROMIUM} (apt-get install chromium; CI does)` }, async (t) => {
  const { app } = await buildTestApp(t);
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
    if (url.startsWith(base) || url.startsWith('data:')) return route.continue();
    elsewhere.push(url);
    return route.abort();
  });

  const response = await page.goto(`${base}/docs`);
  t.equal(response?.status(), 200);
  await page.getByText('Create a person', { exact: false }).first().waitFor({ timeout: 30_000 });
  t.ok(await page.getByText('Informational Interviews API').first().isVisible(), 'the title');
  t.ok((await page.locator('.opblock').count()) >= 30, 'every operation is listed');
  t.same(elsewhere, [], 'nothing was fetched from elsewhere');
  t.same(
    problems.filter((p) => /Content Security Policy|Refused to/.test(p)),
    [],
    'the policy refused nothing',
  );
});
