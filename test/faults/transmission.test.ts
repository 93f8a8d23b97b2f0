// Fault matrix rows for a REAL transmission-daemon (client-rows.ts).
import { startTransmission } from '../helpers/transmission';
import { clientFaultRows } from './client-rows';

clientFaultRows('transmission', 'Transmission', startTransmission, /^Transmission: login refused \(check user and password\)$/);
