// Fault matrix rows for a REAL deluged + deluge-web (client-rows.ts).
import { startDeluge } from '../helpers/deluge';
import { clientFaultRows } from './client-rows';

clientFaultRows('deluge', 'Deluge', startDeluge, /^Deluge: login refused \(check the web UI password\)$/);
