import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('/docs and /redoc in a real browser (chromium)', function () {
  this.timeout(60_000);
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  before(async () => {
    app = await startTestApp();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });
  beforeEach(async () => {
    page = await browser.newPage();
    problems = [];
    // A CSP refusal, a missing asset or a script error shows up here. The console's "Failed to load resource" lines
    // are left to the response listener, which sees what the page loads: the browser's own /favicon.ico is not.
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('requestfailed', (request) => problems.push(`${request.url()} failed`));
    page.on('response', (response) => response.status() >= 400 && problems.push(`${response.url()}: ${response.status()}`));
  });
  afterEach(() => page.close());

  it('/docs: Swagger UI draws the operations, and links to /redoc', async () => {
    await page.goto(`${app.url}/docs`);
    const operation = page.locator('.opblock', { hasText: '/api/posts/{id}/publish' });
    await operation.first().waitFor();
    expect(await page.locator('.opblock').count()).to.be.greaterThan(40);
    expect(await page.locator('a[href="/redoc"]').count()).to.equal(1);
    expect(problems).to.deep.equal([]);
  });

  it('/redoc: Redoc draws the operations with their error codes, and links to /docs', async () => {
    await page.goto(`${app.url}/redoc`);
    await page.locator('[data-section-id="tag/posts/operation/publishPost"]').waitFor();
    const publish = await page.locator('[data-section-id="tag/posts/operation/publishPost"]').innerText();
    expect(publish).to.include('/api/posts/{id}/publish').and.include('post_not_publishable');
    expect(await page.locator('a[href="/docs"]').count()).to.equal(1);
    // Redoc's "API docs by Redocly" badge draws its logo from a CDN and hides itself when it cannot: the page stays offline.
    expect(problems.filter((problem) => !problem.includes('https://cdn.redoc.ly/redoc/logo-mini.svg'))).to.deep.equal([]);
  });
});
