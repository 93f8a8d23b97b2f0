// The last series summary (msg.series of series-gaps), kept in the `state` collection so a
// dashboard shows series completion after a restart, before the next nightly run.
import type { SeriesSummary } from '../types';
import { collection } from './store';

const ID = 'series-summary';

export async function saveSeriesSummary(dir: string, series: SeriesSummary[], at = new Date()): Promise<void> {
  const db = await collection(dir, 'state');
  await db.update({ _id: ID }, { _id: ID, series, at: at.toISOString() }, { upsert: true });
}

export async function loadSeriesSummary(dir: string): Promise<{ series: SeriesSummary[]; at: string } | null> {
  const db = await collection(dir, 'state');
  const doc = (await db.findOne({ _id: ID })) as { series?: SeriesSummary[]; at?: string } | null;
  return doc?.series ? { series: doc.series, at: doc.at ?? '' } : null;
}
