// One fault-matrix row: build a world, inject the fault, run the pipeline, check the error
// (or the warning, for faults the pipeline rides through) names the service, check the store,
// clear the fault, run again, and check every missing book was queued exactly once.
import assert from 'node:assert/strict';
import { serviceName } from '../../lib/clients/ref';
import type { DaemonInstance } from '../helpers/daemon';
import { assertAllQueuedOnce, assertConsistent } from './checks';
import { record } from './matrix';
import { runPipeline, userText, type RunOptions, type RunOutcome, type Stage } from './pipeline';
import { createWorld, type World, type WorldOptions } from './world';

export interface RowSpec {
  row: string;
  service: string;
  world?: WorldOptions;
  /** Injects the fault (after `prepare`, before the first run). */
  fault(w: World): void | Promise<void>;
  /** Anything to run before the fault (e.g. a clean first run). */
  prepare?(w: World): Promise<void>;
  first?: RunOptions | ((w: World) => RunOptions);
  /** The run with the fault must stop at this stage with this error… */
  stops?: { stage: Stage; error: RegExp };
  /** …or keep running, with this text in what the user reads (warnings / not-found reasons). */
  keepsRunning?: RegExp;
  /** Extra checks on the faulty run. */
  check?(o: RunOutcome, w: World): void | Promise<void>;
  clear(w: World): void | Promise<void>;
  rerun?: RunOptions | ((w: World) => RunOptions);
  /** A timeout while adding may leave an intent for the next run to heal. */
  allowIntent?: boolean;
  /** Hashes the user removed from qBittorrent: they stay removed (not re-added). */
  removed?(w: World): string[];
  /** Torrents whose first fetch was refused or cut off: each asked for twice in all. */
  refetched?(w: World): number[];
  rerunNote?: string;
}

const opt = (o: RowSpec['first'], w: World): RunOptions => (typeof o === 'function' ? o(w) : (o ?? {}));

export async function runRow(q: DaemonInstance, spec: RowSpec): Promise<void> {
  const w = await createWorld(q, spec.row, spec.world);
  let outcome = 'FAILED (assertion)';
  let error = '';
  let rerun = 'not reached';
  try {
    await spec.prepare?.(w);
    await spec.fault(w);
    const o = await runPipeline(w, opt(spec.first, w));
    error = userText(o);
    if (spec.stops) {
      assert.ok(o.error, `expected the run to stop at ${spec.stops.stage}; it finished (${error})`);
      assert.equal(o.stage, spec.stops.stage, `stopped at ${o.stage}: ${o.error.message}`);
      assert.match(o.error.message, spec.stops.error);
      assert.ok(o.error.message.startsWith(`${spec.service}:`), `the error names ${spec.service}: ${o.error.message}`);
      outcome = `stops at ${o.stage}`;
    } else {
      assert.equal(o.error, undefined, `expected the pipeline to keep running, got ${o.error?.message}`);
      assert.match(error, spec.keepsRunning ?? /./);
      outcome = `keeps running (${o.queue?.downloads.length ?? 0} queued)`;
    }
    await spec.check?.(o, w);
    await assertConsistent(w, { allowIntent: spec.allowIntent, removedByUser: spec.removed?.(w) });
    await spec.clear(w);
    const again = await runPipeline(w, opt(spec.rerun, w));
    assert.equal(again.error, undefined, `re-run after clearing the fault failed: ${again.error?.message}`);
    rerun = `${await assertAllQueuedOnce(w, { removedByUser: spec.removed?.(w), interrupted: spec.refetched?.(w) })}${spec.rerunNote ? ` (${spec.rerunNote})` : ''}`;
  } catch (err) {
    if (!error) error = (err as Error).message;
    outcome = outcome.startsWith('FAILED') ? outcome : `${outcome}; FAILED`;
    rerun = `FAILED: ${(err as Error).message.split('\n')[0]}`;
    throw err;
  } finally {
    record({ row: spec.row, service: spec.service, client: serviceName(w.client), outcome, error, rerun });
    await w.close();
  }
}

/** Two days on: past the not-found back-off (1 day) and every search cache. */
export const later = (): RunOptions => ({ now: new Date(Date.now() + 2 * 86400_000) });
