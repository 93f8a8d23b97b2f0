// Transmission's and Deluge's states → the four phases the watcher reasons about. The rows
// the real daemons in the contract tests cannot reach (local errors, checking a finished
// torrent, queued seeds) are pinned here.
import assert from 'node:assert/strict';
import { mapDeluge, mapTransmission } from '../../lib/clients/states';

const tr = (over: Partial<Parameters<typeof mapTransmission>[0]>) => mapTransmission({ status: 4, error: 0, errorString: '', percentDone: 0.5, metadataPercentComplete: 1, peersSendingToUs: 2, isStalled: false, ...over });
const dl = (over: Partial<Parameters<typeof mapDeluge>[0]>) => mapDeluge({ state: 'Downloading', progress: 50, num_seeds: 1, num_peers: 1, ...over });
const row = (m: { phase: string; held: boolean }) => `${m.phase}${m.held ? ' held' : ''}`;

describe('lib/clients/states', () => {
  it('Transmission', () => {
    const cases: [string, Parameters<typeof tr>[0], string][] = [
      ['downloading from a peer', {}, 'downloading'],
      ['running, nobody sending', { peersSendingToUs: 0 }, 'stalled'],
      ['Transmission calls it stalled', { isStalled: true }, 'stalled'],
      ['queued to download', { status: 3, peersSendingToUs: 0 }, 'downloading'],
      ['added paused', { status: 0 }, 'downloading held'],
      ['stopped at 100 %', { status: 0, percentDone: 1 }, 'completed'],
      ['checking at 100 %', { status: 2, percentDone: 1 }, 'downloading held'],
      ['waiting to check', { status: 1 }, 'downloading held'],
      ['seeding', { status: 6, percentDone: 1 }, 'completed'],
      ['queued to seed', { status: 5, percentDone: 1 }, 'completed'],
      ['tracker error is not a failure', { error: 2, errorString: 'Connection failed' }, 'downloading'],
      ['local error (files gone)', { status: 0, error: 3, errorString: 'No data found!' }, 'failed'],
    ];
    for (const [what, input, want] of cases) assert.equal(row(tr(input)), want, what);
    assert.equal(tr({ error: 3, errorString: 'No data found!' }).state, 'error: No data found!');
  });

  it('Deluge', () => {
    const cases: [string, Parameters<typeof dl>[0], string][] = [
      ['downloading with peers', {}, 'downloading'],
      ['downloading, no peers at all', { num_seeds: 0, num_peers: 0 }, 'stalled'],
      ['queued to download', { state: 'Queued' }, 'downloading'],
      ['queued at 100 %', { state: 'Queued', progress: 100 }, 'completed'],
      ['added paused', { state: 'Paused' }, 'downloading held'],
      ['paused at 100 %', { state: 'Paused', progress: 100 }, 'completed'],
      ['checking at 100 %', { state: 'Checking', progress: 100 }, 'downloading held'],
      ['moving', { state: 'Moving', progress: 100 }, 'downloading held'],
      ['seeding', { state: 'Seeding', progress: 100 }, 'completed'],
      ['error', { state: 'Error' }, 'failed'],
    ];
    for (const [what, input, want] of cases) assert.equal(row(dl(input)), want, what);
  });
});
