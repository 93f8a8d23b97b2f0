// Flat rows of the wanted store for Dashboard 2.0's ui-table (one level, strings and
// numbers only), and the per-state counts the status badge shows.
import type { WantedRecord, WantedState } from './wanted';

export interface WantedRow {
  key: string;
  title: string;
  series: string;
  sequence: string;
  authors: string;
  state: WantedState | 'ignored';
  source: string;
  reason: string;
  /** The latest lifecycle note ("added to qBittorrent (…)", "imported as …"). */
  note: string;
  torrent: string;
  /** Download progress 0–100 as the download client last reported it; empty before queueing. */
  progress: number | '';
  searches: number;
  lastSearch: string;
  retryAfter: string;
  hash: string;
  /** The download client its download went to ("qBittorrent", "Transmission", "Deluge"); empty before queueing. */
  client: string;
  firstSeen: string;
  updated: string;
}

export function toRow(rec: WantedRecord, progress?: number, client = ''): WantedRow {
  const gap = rec.gap;
  return {
    key: rec.key,
    // The title metadata gave, else the place in the series: never a torrent's name (that is
    // in `torrent`) nor the store key.
    title: gap.title ?? (gap.series && gap.sequence ? `${gap.series} #${gap.sequence}` : gap.series ?? ''),
    series: gap.series ?? '',
    sequence: gap.sequence ?? '',
    authors: gap.authors.join(', '),
    state: rec.ignored ? 'ignored' : rec.state,
    source: gap.source,
    // The latest search verdict explains a not-found book better than the gap's origin.
    reason: rec.search?.reason ?? gap.reason,
    note: [...rec.history].reverse().find((h) => h.note)?.note ?? '',
    torrent: rec.torrent ? `${rec.torrent.title} (${rec.torrent.id})` : '',
    progress: rec.state === 'imported' || rec.state === 'imported_suspect' ? 100 : progress === undefined ? '' : Math.round(progress * 100),
    searches: rec.search?.attempts ?? 0,
    lastSearch: rec.search?.lastAt ?? '',
    retryAfter: rec.search?.retryAfter ?? '',
    hash: rec.hash ?? '',
    client,
    firstSeen: rec.firstSeenAt,
    updated: rec.updatedAt,
  };
}

export function countStates(rows: WantedRow[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row.state] = (counts[row.state] ?? 0) + 1;
  return counts;
}
