// What a user may do with a wanted book, by its state, and what each action answers in words.
// The dashboard shows only these buttons, and gap-store refuses the rest with a sentence: a
// user never sees a store key, nor a button that does nothing.
import type { WantedRecord } from '../../lib/store/wanted';

export type BookAction = 'ignore' | 'unignore' | 'retry';

/** Searching again helps only a book that was not found, whose download failed, or whose import
 *  Audiobookshelf measured as another book or a part (imported_suspect: Retry refuses that torrent). */
const RETRYABLE = ['not_found', 'failed', 'imported_suspect'];
/** Ignoring is for books still to get; once on its way or in the library, there is nothing to stop.
 *  Ignoring a suspect import keeps what arrived and stops looking. */
const IGNORABLE = ['wanted', 'unreleased', 'not_found', 'found', 'failed', 'imported_suspect'];

export function actionsFor(rec: Pick<WantedRecord, 'state' | 'ignored'>): BookAction[] {
  if (rec.ignored) return ['unignore'];
  return [...(RETRYABLE.includes(rec.state) ? ['retry' as const] : []), ...(IGNORABLE.includes(rec.state) ? ['ignore' as const] : [])];
}

/** The book as a user knows it: its title, or its place in the series. */
export function bookName(rec: Pick<WantedRecord, 'gap'>): string {
  const g = rec.gap;
  return g.title ?? (g.series && g.sequence ? `${g.series} #${g.sequence}` : g.series ?? 'this book');
}

const STATE_WORDS: Record<string, string> = {
  wanted: 'is waiting for the next search', unreleased: 'is not released yet', found: 'was found and waits to be queued',
  queued: 'is already queued in qBittorrent', downloading: 'is downloading', completed: 'has downloaded and waits for the import',
  imported: 'is already in your library', imported_suspect: 'is in your library but looks like another book or a part', resolved: 'is already in your library', not_found: 'was not found', failed: 'failed to download',
};

/** Why `action` does not apply to this book now, or undefined when it does. */
export function refusal(action: BookAction, rec: WantedRecord): string | undefined {
  if (actionsFor(rec).includes(action)) return undefined;
  const name = `“${bookName(rec)}”`;
  if (action === 'unignore') return `${name} is not ignored.`;
  if (rec.ignored) return `${name} is ignored: unignore it first.`;
  const verb = action === 'retry' ? 'search again for' : 'ignore';
  return `Cannot ${verb} ${name}: it ${STATE_WORDS[rec.state] ?? rec.state}.`;
}

/** The toast after an action that worked. */
export function confirmation(action: BookAction, rec: WantedRecord): string {
  const name = `“${bookName(rec)}”`;
  if (action === 'ignore') return `${name} is ignored: no search will look for it.`;
  if (action === 'unignore') return `${name} is wanted again.`;
  return `${name} will be searched again on the next run.`;
}
