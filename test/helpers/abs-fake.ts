// An in-memory Audiobookshelf for the watcher's unit tests: one book library whose folder is
// /audiobooks; the test pushes the items ABS "has scanned" into `items`.
import type { AbsForWatch } from '../../lib/watch/watcher';

export class FakeLibraryAbs implements AbsForWatch {
  items: unknown[] = [];
  async listLibraries() { return [{ id: 'lib1', mediaType: 'book', folders: [{ fullPath: '/audiobooks' }] }]; }
  async listItems() { return { results: this.items }; }
  async scanLibrary() { /* items are pushed by the test */ }
}
