// torrent-queue + abs-import-watch through a REAL deluged + deluge-web (test/helpers/client-nodes.ts).
import delugeServerNode from '../../nodes/deluge-server/deluge-server';
import { clientNodesSuite } from '../helpers/client-nodes';
import { startDeluge } from '../helpers/deluge';

clientNodesSuite({
  type: 'deluge', service: 'Deluge', serverType: 'deluge-server', serverNode: delugeServerNode,
  start: startDeluge, creds: (d) => ({ password: d.password }),
});
