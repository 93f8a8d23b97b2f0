// The package's plain-TypeScript API (no Node-RED needed), for scripts and other tools: the
// same clients, analysis and stores the nodes use. `require('node-red-contrib-audiobook-gaps')`.
export type { Book, Gap, SeriesSummary, Candidate, NotFound, TorrentInfo, Download, ImportEvent, ClientRef, ClientType } from './types';
export { ServiceError } from './errors';
export { AbsClient } from './abs/client';
export { readLibrary } from './abs/library-reader';
export { parseSequence, formatSequence } from './identity/sequence';
export { analyse } from './gaps/analyse';
export { findGaps, persistGaps } from './gaps/find';
export { MamClient } from './mam/client';
export { rankTorrents } from './mam/rank';
export { runSearch } from './mam/search-run';
export { QbitAdapter } from './qbit/adapter';
export { TransmissionAdapter } from './clients/transmission';
export { DelugeAdapter } from './clients/deluge';
export type { DownloadClient, ClientTorrent, AddOptions as ClientAddOptions } from './clients/types';
export { runQueue } from './queue/queue';
export { pollOnce } from './watch/watcher';
export { WantedStore } from './store/wanted';
