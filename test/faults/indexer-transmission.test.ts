// Fault matrix rows for the indexer search into a REAL transmission-daemon (indexer-rows.ts).
import { startTransmission } from '../helpers/transmission';
import { indexerFaultRows } from './indexer-rows';

indexerFaultRows('transmission', () => startTransmission());
