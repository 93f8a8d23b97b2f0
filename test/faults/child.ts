// Parent side of node-red-child.ts: start it, trigger runs, wait for the result, kill it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PipelineFlow } from './flow';

export interface StageTiming { node: string; ms: number; cpuMs: number; size: number }
export type ChildEvent = { type: 'ready' } | ({ type: 'stage' } & StageTiming) | { type: 'out'; count: number } | { type: 'error'; message: string };

export interface NodeRedChild {
  proc: ChildProcess;
  events: ChildEvent[];
  /** Triggers abs-library and resolves with the qbit-queue output (or rejects with the Catch node's error). */
  run(timeoutMs?: number): Promise<{ count: number; stages: StageTiming[] }>;
  trigger(): void;
  /** Peak and current RSS (bytes) from /proc. */
  rss(): { peak: number; now: number };
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startNodeRedChild(cfg: PipelineFlow): Promise<NodeRedChild> {
  const file = join(mkdtempSync(join(tmpdir(), 'abg-nr-child-')), 'flow.json');
  writeFileSync(file, JSON.stringify(cfg));
  const proc = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'node-red-child.ts'), file], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const events: ChildEvent[] = [];
  const waiters = new Set<() => void>();
  proc.on('message', (m: ChildEvent) => { events.push(m); waiters.forEach((w) => w()); });
  proc.on('exit', () => waiters.forEach((w) => w()));
  const waitFor = (from: number, pick: (e: ChildEvent) => boolean, timeoutMs: number) => new Promise<ChildEvent>((resolve, reject) => {
    const timer = setTimeout(() => { waiters.delete(check); reject(new Error(`Node-RED child: nothing after ${timeoutMs} ms`)); }, timeoutMs);
    const check = () => {
      const hit = events.slice(from).find(pick);
      if (hit || proc.exitCode !== null || proc.signalCode !== null) {
        clearTimeout(timer);
        waiters.delete(check);
        if (hit) resolve(hit); else reject(new Error(`Node-RED child exited (${proc.exitCode ?? proc.signalCode})`));
      }
    };
    waiters.add(check);
    check();
  });
  const ready = await waitFor(0, (e) => e.type === 'ready' || e.type === 'error', 30_000);
  if (ready.type === 'error') throw new Error(ready.message);
  const status = (field: string) => Number(/(\d+) kB/.exec(readFileSync(`/proc/${proc.pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(field)) ?? '')?.[1] ?? 0) * 1024;
  return {
    proc,
    events,
    trigger: () => proc.send({ type: 'trigger' }),
    async run(timeoutMs = 20_000) {
      const from = events.length;
      proc.send({ type: 'trigger' });
      const end = await waitFor(from, (e) => e.type === 'out' || e.type === 'error', timeoutMs);
      if (end.type === 'error') throw new Error(end.message);
      const stages = events.slice(from).filter((e): e is { type: 'stage' } & StageTiming => e.type === 'stage');
      return { count: (end as { count: number }).count, stages };
    },
    rss: () => ({ peak: status('VmHWM:'), now: status('VmRSS:') }),
    kill: (signal = 'SIGTERM') => new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill(signal);
    }),
  };
}
