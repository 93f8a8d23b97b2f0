// When two wanted records claim one book, the one being downloaded (or ignored by the user)
// keeps the book: handing the gap to the other record would search and download it again.
import assert from 'node:assert/strict';
import { adoptKnownKeys } from '../../lib/gaps/identity';
import type { WantedRecord, WantedState } from '../../lib/store/wanted';
import type { Gap } from '../../lib/types';

const gap = (extra: Partial<Gap> = {}): Gap => ({ key: 'series:the expanse|james s a corey#3', kind: 'series', status: 'wanted', authors: ['James S. A. Corey'], series: 'The Expanse', sequence: '3', source: 'library', reason: 'hole', ...extra });
const record = (key: string, state: WantedState, firstSeenAt: string, extra: Partial<WantedRecord> = {}): WantedRecord =>
  ({ key, gap: gap({ key }), state, ignored: false, firstSeenAt, updatedAt: firstSeenAt, history: [], ...extra });

describe('lib/gaps adoptKnownKeys: which record keeps a book claimed twice', () => {
  // Both records sit at the gap's place (same series, position and author), none under its key.
  const older = record('series:the expanse|james s a corey#3~2', 'not_found', '2026-01-01T00:00:00.000Z');

  for (const [label, newer] of [
    ['queued', record('asin:B0QUEUED01', 'queued', '2026-03-01T00:00:00.000Z')],
    ['ignored', record('asin:B0IGNORE01', 'wanted', '2026-03-01T00:00:00.000Z', { ignored: true })],
  ] as const) {
    it(`the ${label} record wins over an older active one`, () => {
      const g = gap();
      adoptKnownKeys([g], [older, newer], []);
      assert.equal(g.key, newer.key);
    });
  }

  it('between two active records, the older one wins', () => {
    const g = gap();
    adoptKnownKeys([g], [record('asin:B0NEWER001', 'wanted', '2026-03-01T00:00:00.000Z'), older], []);
    assert.equal(g.key, older.key);
  });
});
