// What the download-client test helpers share: the instance they hand to tests, waiting for
// a daemon's HTTP port, and stopping a daemon (SIGTERM, then SIGKILL after 5 s).
import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';

export interface DaemonInstance {
  url: string;
  username: string;
  password: string;
  /** A directory for downloads (save paths) that is removed with the instance. */
  downloads: string;
  restart(): Promise<void>;
  stop(): Promise<void>;
  close(): Promise<void>;
  log(): string;
}

export async function waitForHttp(name: string, url: string, proc: ChildProcess, log: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${name} exited with ${proc.exitCode}: ${log()}`);
    try {
      await fetch(url, { method: 'POST', signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`${name} did not answer on ${url} within ${timeoutMs} ms: ${log()}`);
}

export function kill(proc: ChildProcess | undefined): Promise<void> {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const hard = setTimeout(() => proc.kill('SIGKILL'), 5000);
    proc.once('exit', () => { clearTimeout(hard); resolve(); });
    proc.kill('SIGTERM');
  });
}

/** Waits until something accepts TCP connections on 127.0.0.1:port (a daemon's RPC port). */
export async function waitForTcp(name: string, port: number, proc: ChildProcess, log: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${name} exited with ${proc.exitCode}: ${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} did not listen on port ${port} within ${timeoutMs} ms: ${log()}`);
}
