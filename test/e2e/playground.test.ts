import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devFile } from '../helpers/dev-data.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { type Browser, launchBrowser, lowContrastTexts, screenshot, watchPage } from './browser.ts';

const pngMagic = [0x89, 0x50, 0x4e, 0x47];

/** Picks a file through the drop zone's file input, as the "choose a file" button does. */
async function chooseFile(page: Page, file: string | { name: string; mimeType: string; buffer: Buffer }) {
  await page.locator('.drop-zone input[type=file]').setInputFiles(file);
}

async function findStories(page: Page) {
  await page.getByRole('button', { name: /find (new )?stories/i }).click();
  await expect.poll(() => page.locator('.card').count(), { timeout: 30_000 }).toBe(3);
}

/** Waits until every chart on the page is drawn interactively (or failed, which the assertion then shows). */
async function chartsSettled(page: Page, selector: string) {
  await page.waitForFunction(
    (sel) => [...document.querySelectorAll(sel)].every((chart) => chart.getAttribute('data-state') !== 'loading'),
    selector,
    { timeout: 20_000 },
  );
  return page.locator(selector).evaluateAll((charts) => charts.map((chart) => chart.getAttribute('data-state')));
}

describe('the playground in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('reads sales_data, streams the analysis, writes a story with interactive charts and downloads them', async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await page.goto(server.baseUrl);
    await expect.poll(() => page.getByRole('heading', { name: 'Find the story in a spreadsheet' }).count()).toBe(1);
    await screenshot(page, 'desktop-0-start');

    await chooseFile(page, devFile('sales_data'));
    const reading = page.locator('.reading');
    await reading.waitFor();
    const summary = await reading.innerText();
    expect(summary).toContain('sales_data.csv has 30,853 rows and 9 columns');
    expect(summary).toMatch(/UTF-8/);
    expect(summary).toMatch(/commas/);
    expect(summary).toMatch(/a point, as in 3\.5/);
    expect(summary).toContain('“date” written as YYYY-MM-DD, e.g. 2023-01-01');
    expect(summary).toMatch(/Missing values:.*channel/);
    expect(await lowContrastTexts(page)).toEqual([]);
    expect(await page.locator('.columns tbody tr').count()).toBe(9);
    expect(page.url()).toMatch(/\?containerId=ds_/);
    await screenshot(page, 'desktop-1-read');

    await page.getByRole('button', { name: 'Find stories' }).click();
    // The analysis streams its steps: at least one finished step with its time shows before the cards.
    await page.locator('.progress-steps .step-done').first().waitFor({ timeout: 20_000 });
    await screenshot(page, 'desktop-2-progress');
    await expect.poll(() => page.locator('.card').count(), { timeout: 30_000 }).toBe(3);
    for (const card of await page.locator('.card').all()) {
      expect(await card.locator('h3').innerText()).not.toBe('');
      expect(await card.locator('.summary').innerText()).not.toBe('');
      expect(await card.locator('.strength').innerText()).toMatch(/evidence/);
    }
    expect(await chartsSettled(page, '.chart-card')).toEqual(['drawn', 'drawn', 'drawn']);
    await screenshot(page, 'desktop-3-cards');
    expect(await lowContrastTexts(page)).toEqual([]);

    const titles = await page.locator('.card h3').allInnerTexts();
    await page.locator('.card-button').first().click();
    await page.locator('.narrative h2').waitFor({ timeout: 30_000 });
    expect(await page.locator('.narrative h2').innerText()).toBe(titles[0]);
    const states = await chartsSettled(page, '.chart-story');
    expect(states.length).toBeGreaterThanOrEqual(2);
    expect(states.every((state) => state === 'drawn')).toBe(true);
    for (const chart of await page.locator('.chart-story').all())
      expect((await chart.getAttribute('aria-label'))?.length).toBeGreaterThan(20);
    expect(page.url()).toMatch(/&story=/);
    await screenshot(page, 'desktop-4-story');
    expect(await lowContrastTexts(page)).toEqual([]);

    // Hovering a mark shows its values.
    const mark = page.locator('.chart-story svg path[role], .chart-story svg .mark-rect path').first();
    await mark.hover({ force: true });
    await expect.poll(() => page.locator('.chart-tooltip:not([hidden])').count()).toBe(1);
    expect(await page.locator('.chart-tooltip').innerText()).not.toBe('');
    await page.screenshot({ path: 'test-results/playground/desktop-5-tooltip.png' });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download chart 1 (PNG)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.png$/);
    expect([...fs.readFileSync((await download.path())!).subarray(0, 4)]).toEqual(pngMagic);
    const links = await page.locator('.take-away a').allInnerTexts();
    expect(links).toEqual(expect.arrayContaining(['Report (web page)', 'Report (Markdown)']));
    expect(links.some((text) => /rows behind this story \(CSV\)/.test(text))).toBe(true);

    // Back to the cards and another story, without uploading again.
    const uploads: string[] = [];
    page.on('request', (request) => request.url().includes('/api/upload') && uploads.push(request.url()));
    await page.getByRole('button', { name: '← Back to the three stories' }).first().click();
    await page.locator('.card').first().waitFor();
    await page.locator('.card-button').nth(1).click();
    await page.locator('.narrative h2').waitFor({ timeout: 30_000 });
    expect(await page.locator('.narrative h2').innerText()).toBe(titles[1]);

    // A reload comes back to the same story, then to the same three cards.
    await page.reload();
    await page.locator('.narrative h2').waitFor();
    expect(await page.locator('.narrative h2').innerText()).toBe(titles[1]);
    await page.getByRole('button', { name: '← Back to the three stories' }).first().click();
    expect(await page.locator('.card h3').allInnerTexts()).toEqual(titles);
    expect(uploads).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('reads the penguins sample (no file of one own needed) and writes its top story', async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await page.goto(server.baseUrl);
    await page.getByRole('button', { name: 'Penguins' }).click();
    await page.locator('.reading').waitFor();
    expect(await page.locator('.reading .lede').innerText()).toMatch(/penguins\.csv has 344 rows and \d+ columns/);
    await findStories(page);
    await page.locator('.card-button').first().click();
    await page.locator('.narrative h2').waitFor({ timeout: 30_000 });
    const states = await chartsSettled(page, '.chart-story');
    expect(states.length).toBeGreaterThanOrEqual(2);
    expect(states.every((state) => state === 'drawn')).toBe(true);
    await screenshot(page, 'penguins-story');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('reads a wide file (one column per year) as the time series it is, and says so', async () => {
    // Forty countries over twelve years, one column per year; Borduria's value halves in 2015.
    const years = Array.from({ length: 12 }, (_, i) => 2010 + i);
    const rows = Array.from({ length: 40 }, (_, c) => {
      const name = c === 0 ? 'Borduria' : `Country ${String(c).padStart(2, '0')}`;
      const values = years.map(
        (year, i) => (60 + c * 0.3 + i * 0.4 + ((c * 7 + i * 3) % 5) * 0.1) * (c === 0 && year === 2015 ? 0.5 : 1),
      );
      return [name, ...values.map((v) => v.toFixed(1))].join(',');
    });
    const page = await browser.newPage();
    const problems = watchPage(page);
    await page.goto(server.baseUrl);
    await chooseFile(page, {
      name: 'life_expectancy.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`country,${years.join(',')}\n${rows.join('\n')}\n`),
    });
    const reading = page.locator('.reading');
    await reading.waitFor();
    const summary = await reading.innerText();
    expect(summary).toContain('life_expectancy.csv has 480 rows and 3 columns');
    expect(summary).toMatch(/One column per period:.*one column per year \("2010" to "2021", 12 columns\)/);
    expect(summary).toContain('“year”, made from the column headers (2010 to 2021)');
    await screenshot(page, 'desktop-wide-read');
    await findStories(page);
    const titles = await page.locator('.card h3').allInnerTexts();
    expect(titles.join('\n')).toMatch(/Borduria life expectancy fell .* in 2015/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows CSV text as text: no HTML from a cell runs, no javascript: link is made', async () => {
    const evil = '<img src=x onerror="window.__pwned=1;alert(1)">';
    const link = '[click me](javascript:window.__pwned=2)';
    const rows = ['region,revenue'];
    for (let i = 0; i < 60; i++) {
      rows.push(`"${evil.replaceAll('"', '""')}",${900 + i}`);
      rows.push(`${link},${400 + i}`);
      rows.push(`North,${20 + i}`);
      rows.push(`South,${10 + i}`);
    }
    const page = await browser.newPage();
    const problems = watchPage(page);
    await page.goto(server.baseUrl);
    await chooseFile(page, { name: 'evil.csv', mimeType: 'text/csv', buffer: Buffer.from(`${rows.join('\n')}\n`) });
    await page.locator('.reading').waitFor();
    expect(await page.locator('.reading').innerText()).toContain(evil);
    await findStories(page);
    await page.locator('.card-button').first().click();
    await page.locator('.narrative h2').waitFor({ timeout: 30_000 });
    await chartsSettled(page, '.chart-story');
    const narrative = await page.locator('.narrative').innerText();
    expect(narrative).toContain('<img src=x');
    expect(await page.locator('img[src="x"], .narrative img, .card img').count()).toBe(0);
    expect(await page.locator('a[href^="javascript:"], a[href^="JAVASCRIPT:"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    await screenshot(page, 'xss-story');
    expect(problems.filter((problem) => problem.startsWith('dialog'))).toEqual([]);
    await page.close();
  });

  it('shows the upload progressing, then the reading, on a slow connection', async () => {
    const page = await browser.newPage();
    const network = await page.context().newCDPSession(page);
    await network.send('Network.enable');
    await network.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 20,
      downloadThroughput: -1,
      uploadThroughput: 1024 * 1024,
    });
    await page.goto(server.baseUrl);
    await chooseFile(page, devFile('sales_data'));
    const bar = page.locator('progress[aria-label="Upload progress"]');
    await bar.waitFor();
    await expect.poll(async () => Number(await bar.getAttribute('value')), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.locator('.upload-progress').innerText()).toMatch(/Uploading sales_data\.csv \(2\.1 MB\) — \d+%/);
    await screenshot(page, 'desktop-upload-progress');
    await page.locator('.reading').waitFor({ timeout: 20_000 });
    await page.close();
  });

  it('serves the built page with a strict policy and only its own bundles', async () => {
    const page = await fetch(server.baseUrl);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self' 'unsafe-eval'/);
    const html = await page.text();
    expect(html).toContain(`content="${server.config.maxUploadBytes}"`);
    const script = /src="(\/assets\/app-[\w-]+\.js)"/.exec(html)?.[1];
    const bundle = await fetch(`${server.baseUrl}${script}`);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    // Bodies are read to the end: an unread response keeps its connection busy and the server from stopping.
    expect((await bundle.text()).length).toBeGreaterThan(1000);
    const sample = await fetch(`${server.baseUrl}/samples/penguins.csv`);
    expect(sample.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect((await sample.text()).startsWith('Species,Island,')).toBe(true);
    for (const probe of [
      '/assets/..%2f..%2fpackage.json',
      '/assets/nothing.js',
      '/assets/index.html',
      '/samples/..%2f..%2fpackage.json',
      '/samples/..%2findex.html',
      '/samples/nothing.csv',
    ]) {
      const response = await fetch(`${server.baseUrl}${probe}`);
      expect(response.status).toBe(404);
      await response.text();
    }
  });

  it('explains an unknown session and offers to upload again', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}/?containerId=ds_no_such_session_here`);
    await page.getByRole('heading', { name: 'This session has ended' }).waitFor();
    expect(await page.locator('main').innerText()).toMatch(/Upload the file again to start a new session/);
    expect(await page.locator('.drop-zone input[type=file]').count()).toBe(1);
    await screenshot(page, 'session-ended');
    await page.close();
  });

  it('explains a 503 and a file it cannot read, where they happen', async () => {
    const page = await browser.newPage();
    await page.goto(server.baseUrl);
    await chooseFile(page, { name: 'empty.csv', mimeType: 'text/csv', buffer: Buffer.from('') });
    const uploadError = page.locator('.error-box');
    await uploadError.waitFor();
    expect(await uploadError.innerText()).toMatch(/could not read|does not look like a CSV/i);
    await screenshot(page, 'error-unreadable');

    await page.route('**/api/analyze', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({
          error: { code: 'unavailable', message: 'The analyst is not available right now.', requestId: 'req-1' },
        }),
      }),
    );
    await chooseFile(page, devFile('penguins'));
    await page.locator('.reading').waitFor();
    await page.getByRole('button', { name: 'Find stories' }).click();
    const analyzeError = page.locator('.error-box');
    await analyzeError.waitFor();
    expect(await analyzeError.innerText()).toMatch(/try again in a few minutes/);
    expect(await analyzeError.innerText()).toContain('The analyst is not available right now.');
    await screenshot(page, 'error-503');
    expect(await lowContrastTexts(page)).toEqual([]);
    await page.close();
  });

  it('works on a phone-sized screen with the keyboard alone', async () => {
    const page = await browser.newPage({ width: 390, height: 844 });
    const problems = watchPage(page);
    // Listening before the page loads: Playwright intercepts the file dialog only once it is asked to.
    const chosen = new Promise<void>((resolve) =>
      page.once('filechooser', (chooser) => chooser.setFiles(devFile('sales_data')).then(resolve)),
    );
    await page.goto(server.baseUrl);
    await screenshot(page, 'phone-0-start');
    // Tab past the home link to the drop zone's file picker; Space opens it.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)).toBe('file');
    await page.keyboard.press('Space');
    await chosen;
    await page.locator('.reading').waitFor();
    const noSideways = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    expect(await noSideways()).toBe(true);
    await screenshot(page, 'phone-1-read');

    // From the top of the page: Tab to the prompt field, type, Tab to the button, Enter.
    await page.locator('#steering').focus();
    await page.keyboard.type('revenue by region');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Find stories');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.card').count(), { timeout: 30_000 }).toBe(3);
    await chartsSettled(page, '.chart-card');
    // The page says how it read the prompt, and which cards answer it.
    expect(await page.locator('#steering-note').innerText()).toMatch(
      /^We read your request as: focus on .*“revenue”.*“region”/,
    );
    expect(await page.locator('.card .matches').count()).toBeGreaterThanOrEqual(1);
    expect(await noSideways()).toBe(true);
    await screenshot(page, 'phone-2-cards');

    // Focus lands on the cards' heading; Tab reaches the first card's button.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('cards-title');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Read this story');
    await page.keyboard.press('Enter');
    await page.locator('.narrative h2').waitFor({ timeout: 30_000 });
    await chartsSettled(page, '.chart-story');
    expect(await noSideways()).toBe(true);
    await screenshot(page, 'phone-3-story');
    await page.locator('.figure').first().screenshot({ path: 'test-results/playground/phone-4-chart.png' });
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('the playground with a small upload limit', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ maxUploadBytes: 200 * 1024 }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('says the file is too large and names the limit', async () => {
    const page = await browser.newPage();
    // Refused from its Content-Length, before the body is read. (A file just over the limit is refused
    // mid-body; the server then leaves that connection half-read, which stalls the next request on it:
    // reported, and not tested here until fixed.)
    await page.goto(server.baseUrl);
    const body = `a,b\n${'1,2\n'.repeat(800_000)}`;
    await chooseFile(page, { name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(body) });
    const error = page.locator('.error-box');
    await error.waitFor();
    const text = await error.innerText();
    expect(text).toContain('This file is too large');
    expect(text).toMatch(/limit/);
    expect(text).toMatch(/This server accepts files up to 200 KB; big\.csv is 3\.1 MB\./);
    await screenshot(page, 'error-too-large');
    await page.close();
  });
});
