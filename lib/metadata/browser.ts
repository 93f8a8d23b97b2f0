// Optional browser transport for Goodreads when plain HTTP is refused: puppeteer-extra with
// the stealth plugin driving the system Chromium through puppeteer-core. The packages are
// optional dependencies, loaded only here, on first use, so the package works without them.
import { ServiceError } from '../errors';

interface PageLike {
  goto(url: string, opts: { waitUntil: string; timeout: number }): Promise<{ status(): number } | null>;
  content(): Promise<string>;
  close(): Promise<void>;
}
interface BrowserLike {
  newPage(): Promise<PageLike>;
  close(): Promise<void>;
}

/** Loads a module by name at run time; a missing optional package becomes `undefined`. */
async function optional(name: string): Promise<Record<string, unknown> | undefined> {
  try {
    return (await import(name)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

export class BrowserTransport {
  private browser: Promise<BrowserLike> | undefined;

  constructor(private readonly executablePath: string, private readonly timeoutMs = 30000) {}

  async get(url: string): Promise<{ status: number; html: string }> {
    const browser = await (this.browser ??= this.launch());
    const page = await browser.newPage();
    try {
      const res = await page.goto(url, { waitUntil: 'domcontentloaded', timeout: this.timeoutMs });
      return { status: res?.status() ?? 0, html: await page.content() };
    } finally {
      await page.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const pending = this.browser;
    this.browser = undefined;
    if (pending) await (await pending.catch(() => undefined))?.close().catch(() => undefined);
  }

  private async launch(): Promise<BrowserLike> {
    const extra = await optional('puppeteer-extra');
    const stealth = await optional('puppeteer-extra-plugin-stealth');
    const core = await optional('puppeteer-core');
    if (!extra || !stealth || !core) {
      this.browser = undefined;
      throw new ServiceError('Goodreads', 'the browser transport needs the optional packages puppeteer-core, puppeteer-extra and puppeteer-extra-plugin-stealth (npm install them in the Node-RED user directory)', { code: 'config' });
    }
    type Extra = { addExtra(p: unknown): { use(p: unknown): void; launch(o: unknown): Promise<BrowserLike> } };
    const pick = <T>(m: Record<string, unknown>): T => (m.default ?? m) as T;
    const puppeteer = pick<Extra>(extra).addExtra(pick(core));
    puppeteer.use(pick<() => unknown>(stealth)());
    try {
      return await puppeteer.launch({ executablePath: this.executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
    } catch (err) {
      this.browser = undefined;
      throw new ServiceError('Goodreads', `cannot start Chromium at ${this.executablePath}: ${(err as Error).message.split('\n')[0]}`, { code: 'config', cause: err });
    }
  }
}
