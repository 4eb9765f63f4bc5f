/** The HTML report in a real browser (Debian's chromium through playwright-core): it loads with no
 * console error and no request, shows the incidents, draws one arrow per packet, filters its table;
 * capture-derived markup stays text. Screenshots and a PDF go to reports/test/ (git-ignored) for a person to look at. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { ReportJson } from '../../src/report/report-model';
import { writePcap } from '../support/capture-writer';
import { incidentScripts } from '../support/incident-script';
import { mergeScripts } from '../support/tcp-script';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const ARTIFACTS = join(ROOT, 'reports', 'test');

interface Loaded {
  page: Page;
  url: string;
  requests: string[];
  problems: string[];
  dialogs: string[];
}

/** The capture of the incident, analysed by the built CLI into an HTML and a JSON report. */
function writeReports(dir: string, captureName: string): { html: string; report: ReportJson } {
  writeFileSync(join(dir, captureName), writePcap(mergeScripts(...incidentScripts({ checks: 40 }))));
  const r = spawnSync(process.execPath, [CLI, 'analyze', captureName, '--html', 'report.html', '--json', 'report.json', '--quiet'], { cwd: dir });
  if (r.status !== 0) throw new Error(`tcpteardown failed: ${r.stderr.toString()}`);
  return { html: join(dir, 'report.html'), report: JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as ReportJson };
}

async function open(context: BrowserContext, file: string): Promise<Loaded> {
  const page = await context.newPage();
  const url = pathToFileURL(file).href;
  const loaded: Loaded = { page, url, requests: [], problems: [], dialogs: [] };
  page.on('request', (req) => { if (req.url() !== url) loaded.requests.push(req.url()); });
  page.on('console', (msg) => { if (msg.type() === 'error' || msg.type() === 'warning') loaded.problems.push(msg.text()); });
  page.on('pageerror', (err) => { loaded.problems.push(err.message); });
  page.on('dialog', (d) => { loaded.dialogs.push(d.message()); void d.dismiss(); });
  await page.goto(url, { waitUntil: 'load' });
  return loaded;
}

function browserTests(): void {
  let context: BrowserContext;
  let report: ReportJson;
  let main: Loaded;

  beforeAll(async () => {
    const written = writeReports(mkdtempSync(join(tmpdir(), 'tcpteardown-html-')), 'incident.pcap');
    report = written.report;
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'tcpteardown-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run'],
      viewport: { width: 1280, height: 900 },
    });
    main = await open(context, written.html);
  });

  afterAll(async () => {
    await context?.close();
  });

  it('loads with no console errors and no network requests', () => {
    expect(main.problems).toEqual([]);
    expect(main.requests).toEqual([]);
  });

  it('shows the incidents worst first, the root cause on top', async () => {
    const headlines = main.page.locator('#summary ol.headlines > li');
    expect(await headlines.first().getAttribute('class')).toBe('sev-critical');
    expect(await headlines.first().textContent()).toContain('served one connection at a time (inferred limit 1)');
    expect(await main.page.locator('#incidents article.incident').count()).toBe(report.incidents.length);
  });

  it('draws one arrow per packet of the representative connection, first to last frame', async () => {
    const conn = report.connections.find((c) => c.id === report.incidents[0].representative);
    if (!conn) throw new Error('no representative connection');
    const frames = await main.page.locator(`#incident-1 svg.ladder[data-connection="${conn.id}"] g.pkt`)
      .evaluateAll((gs) => gs.map((g) => Number(g.getAttribute('data-frame'))));
    expect(frames).toHaveLength(conn.packets.client + conn.packets.server);
    expect(frames[0]).toBe(conn.first_frame);
    expect(frames[frames.length - 1]).toBe(conn.last_frame);
    for (const e of conn.events) expect(frames).toContain(e.frame);
    expect(await main.page.locator('#incident-1 svg.ladder .gap text').textContent()).toMatch(/^… \d+\.\d s …$/);
  });

  it('filters and sorts the connections table', async () => {
    const { page } = main;
    const visible = (): Promise<string[]> => page.locator('#connections-table tbody tr:not([hidden]) td:first-child').allTextContents();
    await page.fill('#connections-filter', '192.0.2.30:40007');
    expect(await visible()).toHaveLength(1);
    expect(await page.textContent('#connections-count')).toBe(`1 of ${report.connections.length} rows`);
    await page.fill('#connections-filter', 'accept-delay 4000');
    expect((await visible()).length).toBeGreaterThan(1);
    await page.fill('#connections-filter', '');
    expect(await visible()).toHaveLength(report.connections.length);
    await page.click('#connections-table th:nth-child(5) button');
    await page.click('#connections-table th:nth-child(5) button');
    const longest = [...report.connections].sort((a, b) => b.duration_s - a.duration_s)[0];
    expect((await visible())[0]).toBe(String(longest.id));
  });

  it("copies a row's Wireshark filter", async () => {
    const { page } = main;
    await page.fill('#connections-filter', '192.0.2.30:40007');
    const button = page.locator('#connections-table tbody tr:not([hidden]) button.copy');
    const conn = report.connections.find((c) => c.client === '192.0.2.30:40007');
    expect(await button.getAttribute('title')).toBe(conn?.filter);
    await button.click();
    await page.locator('#connections-table tbody tr:not([hidden]) button.copy', { hasText: 'copied' }).waitFor({ timeout: 1000 });
    expect(main.dialogs).toEqual([]);
    await page.fill('#connections-filter', '');
  });

  it('saves screenshots and a printed PDF for a person to look at', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const { page } = main;
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(ARTIFACTS, 'incident-report-top.png') });
    await page.locator('#incident-1 figure').screenshot({ path: join(ARTIFACTS, 'incident-ladder.png') });
    await page.locator('#listeners').screenshot({ path: join(ARTIFACTS, 'incident-listeners.png') });
    await page.locator('#distributions').screenshot({ path: join(ARTIFACTS, 'incident-distributions.png') });
    const pdf = await page.pdf({ path: join(ARTIFACTS, 'incident-report.pdf'), format: 'A4', printBackground: true });
    expect(pdf.length).toBeGreaterThan(10_000);
    expect(existsSync(join(ARTIFACTS, 'incident-report-top.png'))).toBe(true);
  });

  it('shows markup in a capture file name as text, runs none of it', async () => {
    const hostileDir = mkdtempSync(join(tmpdir(), 'tcpteardown-hostile-'));
    const name = '<img src=x onerror=alert(1)><svg onload=alert(2)>.pcap';
    const hostile = await open(context, writeReports(hostileDir, name).html);
    expect(await hostile.page.textContent('h1')).toContain(name);
    expect(await hostile.page.locator('img').count()).toBe(0);
    expect(await hostile.page.locator('main svg[onload]').count()).toBe(0);
    expect(hostile.dialogs).toEqual([]);
    expect(hostile.problems).toEqual([]);
    expect(hostile.requests).toEqual([]);
    // Were something to slip through escaping, the page's policy would still refuse to run it.
    await hostile.page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'document.title = "injected"';
      document.body.append(script);
    });
    expect(await hostile.page.title()).not.toBe('injected');
    expect(hostile.problems.join('\n')).toMatch(/Content Security Policy/);
  });
}

if (existsSync(CHROMIUM)) {
  describe('HTML report in chromium', browserTests);
} else if (process.env.CI) {
  describe('HTML report in chromium', () => {
    it('runs under CI', () => {
      throw new Error(`${CHROMIUM} is absent but CI is set: .ci/run must install Debian's chromium`);
    });
  });
} else {
  // A developer machine without chromium: say why nothing ran, and how to run it.
  console.warn(`HTML browser tests skipped: ${CHROMIUM} is absent (apt-get install chromium to run them)`);
  describe.skip(`HTML report in chromium (skipped: ${CHROMIUM} is absent; apt-get install chromium)`, browserTests);
}
