// Browser-test plumbing: Node-RED started exactly like `npm start` (scripts/start.js, built
// dist/), on a free loopback port with a throwaway user dir, and Debian's chromium driven by
// puppeteer-core. No browser download: the system chromium is the only one we use.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { freePort } from '../helpers/qbittorrent';

export const CHROMIUM = '/usr/bin/chromium';
export const ROOT = join(__dirname, '..', '..');

/** Fails (never skips) with the fix when the machine lacks what the browser tests need. */
export function requireBrowserPrerequisites(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with \`apt-get install chromium\` (CI does)`);
  if (!existsSync(join(ROOT, 'dist', 'nodes', 'abs-server', 'abs-server.html'))) {
    throw new Error('dist/ is not built: run `npm run build` before the browser tests (CI does)');
  }
}


export interface RunningNodeRed {
  url: string;
  userDir: string;
  /** Everything Node-RED printed, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/**
 * `node scripts/start.js` with NODE_RED_USER_DIR and PORT, resolved once the editor answers.
 * A free port can be taken between our check and Node-RED's bind: then it tries another.
 */
export async function startNodeRed(extraEnv: Record<string, string> = {}, timeoutMs = 20000): Promise<RunningNodeRed> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startNodeRedOnce(extraEnv, timeoutMs);
    } catch (err) {
      if (attempt >= 3 || !/EADDRINUSE|port in use/.test((err as Error).message)) throw err;
    }
  }
}

async function startNodeRedOnce(extraEnv: Record<string, string>, timeoutMs: number): Promise<RunningNodeRed> {
  const userDir = mkdtempSync(join(tmpdir(), 'abg-editor-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'scripts', 'start.js')], {
    cwd: ROOT,
    env: { ...process.env, NODE_RED_USER_DIR: userDir, PORT: String(port), HOST: '127.0.0.1', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (b: Buffer) => { output += b.toString(); });
  child.stderr?.on('data', (b: Buffer) => { output += b.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(userDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) { await stop(); throw new Error(`Node-RED exited early:\n${output}`); }
    try {
      const res = await fetch(`${url}/settings`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) { await stop(); throw new Error(`Node-RED did not answer on ${url} within ${timeoutMs} ms:\n${output}`); }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, userDir, log: () => output, stop };
}

export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const puppeteer = await import('puppeteer-core');
  const profile = mkdtempSync(join(tmpdir(), 'abg-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', `--user-data-dir=${profile}`],
    defaultViewport: { width: 1280, height: 800 },
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The node types this package registers, from package.json's "node-red" section. */
export function packageNodeTypes(): string[] {
  const pkg = require(join(ROOT, 'package.json')) as { 'node-red': { nodes: Record<string, string> } };
  return Object.keys(pkg['node-red'].nodes);
}

/**
 * Where a screenshot goes: docs/ (the README's pictures) when SCREENSHOTS=docs, else a temp
 * folder, so an ordinary `npm test` leaves the work tree clean.
 */
export function screenshotPath(name: string): string {
  const dir = process.env.SCREENSHOTS === 'docs' ? join(__dirname, '..', '..', 'docs') : join(tmpdir(), 'abg-screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

/** Waits for the edit tray to finish sliding in: a click during the slide lands elsewhere. */
export async function waitForTray(page: Page, selector: string): Promise<void> {
  await page.waitForSelector(selector, { visible: true, timeout: 5000 });
  const left = `JSON.stringify($('.red-ui-tray').map((i, t) => t.getBoundingClientRect().left).get())`;
  let before = '';
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const now = await page.evaluate(left) as string;
    if (now === before) return;
    before = now;
  }
  throw new Error('the edit tray kept moving');
}

/** Node-RED (`npm start`) and chromium with a page on its editor once the flows have loaded, for
 *  a test file's before/after; the page's script errors go to `errors`. */
export interface EditorSession { red: RunningNodeRed; page: Page; errors: string[]; close(): Promise<void> }

export async function startEditorSession(): Promise<EditorSession> {
  requireBrowserPrerequisites();
  const red = await startNodeRed();
  let chrome: Awaited<ReturnType<typeof launchChromium>> | undefined;
  const close = async () => { await chrome?.close(); await red.stop(); };
  try {
    chrome = await launchChromium();
    const errors: string[] = [];
    const page = await chrome.browser.newPage();
    page.on('pageerror', (err) => errors.push(String(err)));
    await page.goto(red.url, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(`typeof RED !== 'undefined' && !!RED.workspaces && !!RED.workspaces.active() && !$('#red-ui-loading-progress').is(':visible')`, { timeout: 20000 });
    return { red, page, errors, close };
  } catch (err) {
    await close();
    throw err;
  }
}
