// Where the nodes keep their state: <userDir>/audiobook-gaps, or the directory a setting
// names (audiobookGaps.storeDir in settings.js), which tests and the demo use.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NodeAPI } from 'node-red';
import { storeDir } from '../../lib/store/store';

export function resolveStoreDir(RED: NodeAPI): string {
  const settings = RED.settings as unknown as { userDir?: string; audiobookGaps?: { storeDir?: string } };
  if (settings.audiobookGaps?.storeDir) return settings.audiobookGaps.storeDir;
  return storeDir(settings.userDir ?? join(tmpdir(), 'node-red-audiobook-gaps'));
}
