// What the test servers (Dovecot, PostgreSQL) share: the user they run as — `nobody` when the tests run as
// root, since both refuse root — and a free port on 127.0.0.1 to listen on.
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';

export interface RunAs {
  uid: number;
  gid: number;
  user: string;
  group: string;
  /** Spawn with this uid/gid (only when we are root). */
  drop: boolean;
}

export function runAs(): RunAs {
  const id = (...args: string[]) => execFileSync('id', args, { encoding: 'utf8' }).trim();
  if (process.getuid?.() === 0) {
    return {
      uid: Number(id('-u', 'nobody')),
      gid: Number(id('-g', 'nobody')),
      user: 'nobody',
      group: id('-gn', 'nobody'),
      drop: true,
    };
  }
  const me = os.userInfo();
  return { uid: me.uid, gid: me.gid, user: me.username, group: id('-gn'), drop: false };
}

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
