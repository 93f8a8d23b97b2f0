// Loads Node-RED for node tests. NODE_RED_HOME points at another Node-RED (CI runs the node
// tests a second time with Node-RED 5 on Node 22); the default is the dev dependency (4.1).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import helper from 'node-red-node-test-helper';

const home = process.env.NODE_RED_HOME;
const runtime = home ? require.resolve(join(home, 'lib', 'red.js')) : require.resolve('node-red');
helper.init(runtime);

/** A fresh store directory per test run, so tests never see each other's state. */
export function tempStoreDir(prefix = 'abg-store-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function withStore(storeDir: string): void {
  helper.settings({ audiobookGaps: { storeDir } } as Parameters<typeof helper.settings>[0]);
}

export { helper };
