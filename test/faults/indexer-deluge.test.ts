// Fault matrix rows for the indexer search into a REAL deluged + deluge-web (indexer-rows.ts).
import { startDeluge } from '../helpers/deluge';
import { indexerFaultRows } from './indexer-rows';

indexerFaultRows('deluge', startDeluge);
