// torrent-queue + abs-import-watch through a REAL transmission-daemon (test/helpers/client-nodes.ts).
import transmissionServerNode from '../../nodes/transmission-server/transmission-server';
import { clientNodesSuite } from '../helpers/client-nodes';
import { startTransmission } from '../helpers/transmission';

clientNodesSuite({
  type: 'transmission', service: 'Transmission', serverType: 'transmission-server', serverNode: transmissionServerNode,
  start: startTransmission, creds: (d) => ({ username: d.username, password: d.password }),
});
