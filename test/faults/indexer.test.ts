// Fault matrix rows for the indexer search into a REAL qbittorrent-nox (indexer-rows.ts).
import { startQbittorrent } from '../helpers/qbittorrent';
import { indexerFaultRows } from './indexer-rows';

indexerFaultRows('qbittorrent', startQbittorrent);
