// The console end to end: Playwright drives Debian's Chromium against a real `haechi serve` on
// 127.0.0.1, importing real attack logs from ../shared/data the way an analyst would.
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  DATA,
  hasChromium,
  hasData,
  hasRenderer,
  launchChromium,
  ROOT,
  scanMatches,
  screenshot,
  startConsole,
  watchErrors,
  type Console,
} from './harness';

const LSASS = join(
  DATA,
  'security_datasets/psh_lsass_memory_dump_comsvcs/psh_lsass_memory_dump_comsvcs_2020-10-18T19500924.json',
);
// The analyst's own rules for this test: two SigmaHQ rules for LSASS dumps through comsvcs.dll.
const USER_RULES = [
  'rules/windows/process_creation/proc_creation_win_rundll32_process_dump_via_comsvcs.yml',
  'rules/windows/process_access/proc_access_win_lsass_dump_comsvcs_dll.yml',
].map((p) => join(DATA, 'sigma', p));
const DEMO_DOC = join(DATA, 'sample_documents/demo.txt');
const EMAILS = join(DATA, 'emails');
const hasEmails = existsSync(EMAILS);
const emailsWhy = hasEmails ? '' : ' (skipped: ../shared/data/emails is absent)';
// One message of the folder and an address it holds: the report must count it, never show it.
const BAD_TIME = join(EMAILS, 'mail/emails/plain_emails/raw_email_bad_time.eml');
const ADDRESS_IN_BAD_TIME = 'yusuf75thu@auracom.net';
const BLOCKLIST = join(DATA, 'threat_intel/ipsum/levels_4.txt');
const SYSLOG_PORT = 46555; // the UI/e2e port range is 46000-46999
const HTTPLISTENER = join(
  DATA,
  'security_datasets/psh_powershell_httplistener/psh_powershell_httplistener_2020-11-0204130683.json',
);

const RULE_ID = '5d8b1a52-7c3e-4f0e-9a55-2f6c1f1d9e01';
const RULE = `title: Rundll32 comsvcs MiniDump
id: ${RULE_ID}
status: experimental
logsource:
  product: windows
  category: process_creation
detection:
  selection:
    CommandLine|contains: 'comsvcs'
  condition: selection
level: high
`;

const canRun = hasChromium && hasRenderer;
const why = !hasChromium
  ? ' (skipped: /usr/bin/chromium is not installed)'
  : !hasRenderer
    ? ' (skipped: out/renderer is not built; run through `npm run test:e2e`)'
    : '';
const dataWhy = hasData ? '' : ' (skipped: ../shared/data/security_datasets is absent)';

/** Sends syslog lines over TCP, newline-framed, and closes the connection. */
function sendSyslog(port: number, lines: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(lines.join('\n') + '\n'));
    socket.on('close', () => done());
    socket.on('error', fail);
  });
}

/** The records of an NDJSON file, parsed: the test's own reading of the data. */
function records(file: string): unknown[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as unknown);
}

async function numberIn(page: Page, selector: string): Promise<number> {
  const text = (await page.locator(selector).first().textContent()) ?? '';
  return Number(text.replace(/[^\d]/g, ''));
}

describe.skipIf(!canRun)(`console in Chromium against haechi serve${why}`, () => {
  let server: Console;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    server = await startConsole(hasData ? USER_RULES : []);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    errors = watchErrors(page);
    await page.goto(server.url);
    await page.getByTestId('nav-live').waitFor();
  });

  afterEach(async () => {
    await context?.close();
  });

  it.skipIf(!hasData)(
    `imports a real attack log, shows its alert, opens its case and the raw event${dataWhy}`,
    async () => {
      const expected = records(LSASS);
      const matches = scanMatches([join(ROOT, 'resources/rules'), ...USER_RULES], LSASS);
      expect(matches.length).toBeGreaterThan(0);

      // File → Import, through the real file chooser.
      await page.getByTestId('menu-file').click();
      const chooser = page.waitForEvent('filechooser');
      await page.getByTestId('menu-import').click();
      await (await chooser).setFiles(LSASS);
      await page.getByTestId('import-result').waitFor({ timeout: 60_000 });
      expect(await numberIn(page, '[data-testid=import-events]')).toBe(expected.length);
      // One alert per match, as the offline scanner finds them with the same rules.
      const alerts = await numberIn(page, '[data-testid=import-alerts]');
      expect(alerts).toBe(matches.length);

      // The Alerts table lists exactly the alerts the import reported.
      await page.getByTestId('import-alerts').click();
      const rows = page.locator('[data-testid=alerts-table] tbody tr[data-key]');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(alerts);
      const titles = await rows.locator('td:nth-child(4)').allTextContents();
      expect(titles.sort()).toEqual(matches.map((m) => m.ruleTitle).sort());
      await screenshot(page, 'console-alerts.png');

      // The alert's detail: its title, the score's parts and the raw event from the file.
      const first = rows.first();
      const alertId = await first.getAttribute('data-key');
      const title = await first.locator('td').nth(3).textContent();
      await first.click();
      const detail = page.getByTestId('alert-detail');
      await expect.poll(() => detail.locator('h3').textContent()).toBe(title);
      expect(await detail.locator('[data-testid=score-parts] tr').count()).toBeGreaterThan(1);
      const raw = await detail.locator('[data-testid=raw-event] pre').first().textContent();
      expect(expected).toContainEqual(JSON.parse(raw ?? ''));
      await screenshot(page, 'console-alert.png');

      // Its case: the alert is listed there, and the raw event behind it is shown.
      await detail.getByTestId('open-case').click();
      const kase = page.getByTestId('case-detail');
      await kase.waitFor();
      expect(await kase.locator(`tr[data-key="${alertId}"]`).count()).toBe(1);
      await kase.getByRole('tab', { name: /Raw events/ }).click();
      const caseRaw = await kase.locator('[data-testid=raw-event] pre').first().textContent();
      expect(expected).toContainEqual(JSON.parse(caseRaw ?? ''));
      await screenshot(page, 'console-case.png');
      expect(errors).toEqual([]);
    },
  );

  it.skipIf(!hasData)(`imports a log file dropped anywhere on the window${dataWhy}`, async () => {
    const name = basename(HTTPLISTENER);
    const content = readFileSync(HTTPLISTENER, 'utf8');
    await page.getByTestId('nav-cases').click();

    // A real drop: a DataTransfer carrying the file, dropped on the Cases view.
    await page.evaluate(
      ({ name, content }) => {
        const dt = new DataTransfer();
        dt.items.add(new File([content], name, { type: 'application/json' }));
        const target = document.querySelector('.view') ?? document.body;
        for (const type of ['dragenter', 'dragover', 'drop']) {
          target.dispatchEvent(
            new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }),
          );
        }
      },
      { name, content },
    );
    const run = page.getByTestId('import-run').filter({ hasText: name });
    await run.getByTestId('import-result').waitFor({ timeout: 60_000 });
    expect(await numberIn(page, '[data-testid=import-run] [data-testid=import-events]')).toBe(
      records(HTTPLISTENER).length,
    );
    expect(errors).toEqual([]);
  });

  it.skipIf(!hasData)(
    `writes a Sigma rule in the editor, marks its problem at line and column, tests and saves it${dataWhy}`,
    async () => {
      const bad = RULE.replace('CommandLine|contains', 'CommandLine|containz');
      const ruleFile = join(mkdtempSync(join(tmpdir(), 'haechi-rule-')), 'rule.yml');
      writeFileSync(ruleFile, RULE);
      const expected = scanMatches([ruleFile], LSASS).length;
      expect(expected).toBeGreaterThan(0);

      await page.getByTestId('nav-rules').click();
      const editor = page.locator('.monaco-editor').first();
      await editor.waitFor({ timeout: 30_000 });
      // Replace the text as a paste would (typing would let the editor auto-indent each line).
      const setText = async (text: string) => {
        await editor.locator('.view-lines').click();
        await page.keyboard.press('Control+A');
        await editor.locator('textarea').evaluate((el, t) => {
          const data = new DataTransfer();
          data.setData('text/plain', t);
          el.dispatchEvent(
            new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
          );
        }, text);
      };

      // A misspelt modifier: the problem names line 9, column 5, and the editor marks it.
      await setText(bad);
      await page.getByPlaceholder(/Paste events/).fill(readFileSync(LSASS, 'utf8'));
      await page.getByTestId('rule-test').click();
      const problem = page.getByTestId('rule-problems').locator('.problem').first();
      await expect
        .poll(() => problem.textContent())
        .toBe(
          '9:5 unknown modifier "containz" in "CommandLine|containz"; known modifiers: base64, base64offset, utf16le, utf16be, utf16, wide, windash, expand, contains, startswith, endswith, re, cidr, exists, fieldref, gt, gte, lt, lte, all, cased, i, m, s',
        );
      await expect.poll(() => editor.locator('.squiggly-error').count()).toBeGreaterThan(0);

      // Fixed, it matches what the offline scanner finds in the same events, and saves.
      await setText(RULE);
      await page.getByTestId('rule-test').click();
      await expect
        .poll(() => page.getByTestId('rule-test-result').locator('div').first().textContent())
        .toMatch(new RegExp(`^${expected} matches in ${records(LSASS).length} events`));
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect.poll(() => page.locator('.ok-box').textContent()).toBe(`saved ${RULE_ID}`);
      await page.getByPlaceholder('Search  /').fill('comsvcs MiniDump');
      await expect.poll(() => page.locator('tr[data-key="' + RULE_ID + '"]').count()).toBe(1);
      await screenshot(page, 'console-rules.png');
      expect(errors).toEqual([]);
    },
  );

  it.skipIf(!hasData)(
    `finds personal data in a document, keeps a rejected finding and redacts the rest${dataWhy}`,
    async () => {
      await page.getByTestId('nav-redact').click();
      await page.getByTestId('file-input-redact').setInputFiles(DEMO_DOC);
      const error = page.locator('.error-box .error-text');
      const marks = page.locator('mark.pii');
      await expect
        .poll(async () => (await error.count()) + (await marks.count()))
        .toBeGreaterThan(0);
      expect(await error.count()).toBe(0);

      const card = marks.filter({ hasText: '4095-2609-9393-4932' });
      const email = marks.filter({ hasText: 'test@presidio.site' });
      expect(await card.locator('.pii-type').textContent()).toBe('CREDIT_CARD');
      expect(await email.locator('.pii-type').textContent()).toBe('EMAIL_ADDRESS');
      await email.click(); // reject: this one stays in the copy
      await expect.poll(() => email.getAttribute('class')).toBe('pii pii-off');

      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Save redacted copy' }).click();
      const saved = readFileSync((await (await download).path())!, 'utf8');
      expect(saved).toContain('test@presidio.site');
      expect(saved).not.toContain('4095-2609-9393-4932');
      await screenshot(page, 'console-redact.png');
      expect(errors).toEqual([]);
    },
  );

  it.skipIf(!hasData)(
    `imports a blocklist as indicators and reads syslog from a source started in the view${dataWhy}`,
    async () => {
      const listed = readFileSync(BLOCKLIST, 'utf8')
        .split('\n')
        .filter((l) => l.trim() && !l.startsWith('#')).length;
      await page.getByTestId('nav-sources').click();
      await page.getByTestId('file-input-intel').setInputFiles(BLOCKLIST);
      await expect
        .poll(() => page.locator('.panel-head h2', { hasText: 'Indicators' }).textContent())
        .toBe(`Indicators (${listed.toLocaleString('en-US')})`);

      // A syslog TCP source on a port of the UI range, fed three lines by a real socket.
      // The form per kind: a port out of range comes back from the Node side named by field.
      const form = page.getByTestId('source-form');
      await form.getByLabel('Name', { exact: true }).fill('e2e syslog');
      await expect.poll(() => form.getByLabel('Kind').inputValue()).toBe('syslog-tcp');
      await expect.poll(() => form.getByLabel('Address').inputValue()).toBe('127.0.0.1');
      await form.getByLabel('Port').fill('70000');
      await page.getByRole('button', { name: 'Add source' }).click();
      await expect
        .poll(() => page.getByTestId('src-opt-port-err').textContent())
        .toBe('Too big: expected number to be <=65535');
      await expect
        .poll(() => page.getByTestId('source-errors').textContent())
        .toContain('Port: Too big: expected number to be <=65535');
      await screenshot(page, 'console-sources-invalid.png');
      await form.getByLabel('Port').fill(String(SYSLOG_PORT));
      await page.getByRole('button', { name: 'Add source' }).click();
      await expect.poll(() => page.getByTestId('source-errors').count()).toBe(0);
      const row = page.locator('tr', { hasText: 'e2e syslog' });
      await expect
        .poll(() => row.locator('.state').textContent(), { timeout: 15_000 })
        .toBe('running');
      await sendSyslog(SYSLOG_PORT, [
        '<34>1 2026-01-01T10:00:00Z web01 sshd 4242 - - Failed password for root from 203.0.113.9 port 52200 ssh2',
        '<34>1 2026-01-01T10:00:01Z web01 sshd 4242 - - Failed password for root from 203.0.113.9 port 52201 ssh2',
        '<34>1 2026-01-01T10:00:02Z web01 sshd 4242 - - Failed password for root from 203.0.113.9 port 52202 ssh2',
      ]);
      const read = row.locator('td').nth(5);
      await expect
        .poll(
          async () => {
            await page.getByRole('button', { name: 'Refresh' }).first().click();
            return read.textContent();
          },
          { timeout: 15_000 },
        )
        .toBe('3');
      await screenshot(page, 'console-sources.png');
      await row.getByRole('button', { name: 'Stop' }).click();
      await expect
        .poll(() => row.locator('.state').textContent(), { timeout: 15_000 })
        .toBe('stopped');
      expect(errors).toEqual([]);
    },
  );

  it('streams alerts from the demo feed in the Live view', async () => {
    const toggle = page.getByTestId('demo-toggle');
    await page.getByLabel('demo rate').selectOption('1000');
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('true');
    await expect
      .poll(() => numberIn(page, '[data-testid=live-received]'), { timeout: 30_000 })
      .toBeGreaterThan(0);
    await expect
      .poll(() => numberIn(page, '[data-testid=live-eps]'), { timeout: 10_000 })
      .toBeGreaterThan(0);
    expect(
      await page.locator('[data-testid=live-alerts] tbody tr[data-key]').count(),
    ).toBeGreaterThan(0);
    await page.waitForTimeout(8000); // some seconds of the events-per-second line
    await screenshot(page, 'console-live.png');

    // The README's picture: the alerts so far, one of them explained.
    await page.keyboard.press('2');
    const row = page
      .locator('[data-testid=alerts-table] tbody tr[data-key]')
      .filter({ hasText: 'Process Memory Dump Via Comsvcs.DLL' })
      .first();
    if (hasData) {
      await row.click();
      await page.getByTestId('alert-detail').waitFor();
    }
    await screenshot(page, 'console-overview.png');
    await page.keyboard.press('1');
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('false');
    expect(errors).toEqual([]);
  });

  it('switches views with number keys and g+letter, and toggles the theme with t', async () => {
    await page.keyboard.press('2');
    await expect
      .poll(() => page.getByTestId('nav-alerts').getAttribute('class'))
      .toBe('nav-item active');
    await page.keyboard.press('g');
    await page.keyboard.press('c');
    await expect
      .poll(() => page.getByTestId('nav-cases').getAttribute('class'))
      .toBe('nav-item active');
    await page.keyboard.press('t');
    expect(await page.locator('html').getAttribute('data-theme')).toBe('light');
    await screenshot(page, 'console-cases-light.png');
    await page.keyboard.press('t');
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
  });

  it.skipIf(!hasEmails)(
    `scans a folder of real e-mails with progress and a report of counts, never values${emailsWhy}`,
    async () => {
      await page.getByTestId('nav-redact').click();
      await page.getByRole('tab', { name: 'Folder or mailbox' }).click();
      await page.getByTestId('folder-path').fill(EMAILS);
      await page.getByTestId('folder-start').click();
      await page.getByTestId('folder-summary').waitFor({ timeout: 120_000 });
      expect(await page.getByTestId('folder-done').textContent()).toBe('81 / 81 files');
      expect(await page.getByTestId('folder-report-row').count()).toBe(81);
      const row = page.getByTestId('folder-report-row').filter({
        hasText: 'mail/emails/plain_emails/raw_email_bad_time.eml',
      });
      expect(await row.count()).toBe(1);
      expect(await page.getByTestId('folder-progress').getAttribute('value')).toBe('81');

      const csvDownload = page.waitForEvent('download');
      await page.getByTestId('folder-save-csv').click();
      const csv = readFileSync((await (await csvDownload).path())!, 'utf8');
      const jsonDownload = page.waitForEvent('download');
      await page.getByTestId('folder-save-json').click();
      const json = readFileSync((await (await jsonDownload).path())!, 'utf8');

      // The message holds the address, the scan counted it, and neither report shows it.
      expect(readFileSync(BAD_TIME, 'utf8')).toContain(ADDRESS_IN_BAD_TIME);
      expect(csv).toContain(`${BAD_TIME},email,EMAIL_ADDRESS,7\n`);
      expect(csv.toLowerCase()).not.toContain(ADDRESS_IN_BAD_TIME);
      expect(json.toLowerCase()).not.toContain(ADDRESS_IN_BAD_TIME);
      const report = JSON.parse(json) as {
        files: { file: string }[];
        scanned: number;
        failed: number;
      };
      expect(report.files.length).toBe(81);
      expect(report.scanned + report.failed).toBe(81);
      expect(await page.getByTestId('folder-total-EMAIL_ADDRESS').textContent()).toBe(
        String((JSON.parse(json) as { totals: Record<string, number> }).totals.EMAIL_ADDRESS),
      );
      await screenshot(page, 'console-redact-folder.png');
      expect(errors).toEqual([]);
    },
  );

  it.skipIf(!hasEmails)(
    `cancels a folder scan of 40 x 81 e-mails part way${emailsWhy}`,
    async () => {
      // 40 links to the e-mail folder: 3,240 files to scan, without copying the data.
      const big = mkdtempSync(join(tmpdir(), 'haechi-e2e-mail-'));
      try {
        for (let i = 0; i < 40; i++)
          symlinkSync(EMAILS, join(big, `copy${String(i).padStart(2, '0')}`));
        await page.getByTestId('nav-redact').click();
        await page.getByRole('tab', { name: 'Folder or mailbox' }).click();
        await page.getByTestId('folder-path').fill(big);
        await page.getByTestId('folder-start').click();
        await expect
          .poll(async () => (await page.getByTestId('folder-done').textContent()) ?? '', {
            timeout: 60_000,
          })
          .toMatch(/^\d+ \/ 3240 files$/);
        await page.getByTestId('folder-cancel').click();
        await page.getByTestId('folder-summary').waitFor({ timeout: 60_000 });
        expect(await page.getByTestId('folder-summary').locator('.problem').textContent()).toMatch(
          /^Cancelled: \d+ files scanned/,
        );
        const rows = await page.getByTestId('folder-report-row').count();
        expect(rows).toBeGreaterThan(0);
        expect(rows).toBeLessThan(3240);
        const done = (await page.getByTestId('folder-done').textContent()) ?? '';
        expect(done).toBe(`${rows} / 3240 files`);
        expect(await page.getByTestId('folder-cancel').count()).toBe(0);
        expect(errors).toEqual([]);
      } finally {
        rmSync(big, { recursive: true, force: true });
      }
    },
  );

  it.skipIf(!hasData)(
    `encrypts with the workstation key and decrypts the copy back to the original${dataWhy}`,
    async () => {
      await page.getByTestId('nav-redact').click();
      await page.getByRole('tab', { name: 'One document' }).click();
      await page.getByTestId('file-input-redact').setInputFiles(DEMO_DOC);
      await page.locator('mark.pii').first().waitFor({ timeout: 60_000 });
      for (const select of await page.locator('.operators select').all())
        await select.selectOption('encrypt');
      await page.getByTestId('redact-keychain').check();
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Save redacted copy' }).click();
      const redactedPath = (await (await download).path())!;
      const redacted = readFileSync(redactedPath, 'utf8');
      expect(redacted).toContain('[ENC:CREDIT_CARD:');
      expect(redacted).not.toContain('4095-2609-9393-4932');

      // Open the redacted copy and decrypt it with the same workstation key.
      const copy = join(mkdtempSync(join(tmpdir(), 'haechi-e2e-enc-')), 'demo.redacted.txt');
      writeFileSync(copy, redacted);
      await page.getByTestId('file-input-redact').setInputFiles(copy);
      await page.getByText('Document: demo.redacted.txt').waitFor();
      await page.getByTestId('redact-keychain').check();
      const restoredDownload = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Decrypt copy' }).click();
      const restored = readFileSync((await (await restoredDownload).path())!, 'utf8');
      expect(restored).toBe(readFileSync(DEMO_DOC, 'utf8'));
      expect(existsSync(join(server.dataDir, 'pii-key.sealed'))).toBe(true);
      expect(errors).toEqual([]);
    },
  );

  it('opens every view without an uncaught error, whatever the Node side answers', async () => {
    for (const view of [
      'live',
      'alerts',
      'cases',
      'import',
      'rules',
      'sources',
      'response',
      'redact',
    ]) {
      await page.getByTestId(`nav-${view}`).click();
      await expect
        .poll(() => page.getByTestId(`nav-${view}`).getAttribute('class'))
        .toBe('nav-item active');
      await page.locator('.view').first().waitFor();
    }
    await page.getByTestId('nav-rules').click();
    await page.locator('.monaco-editor').first().waitFor({ timeout: 30_000 });
    expect(errors).toEqual([]);
  });
});
