// A real Dovecot IMAP server for tests: its own temp folder, 127.0.0.1 and a free port, a passwd-file of PLAIN
// passwords, Maildir storage, no SSL. Start it once per test file (it takes well under a second).
//
// Dovecot refuses root as its internal and login user, so as root the whole server (master and children)
// runs as `nobody`: the temp folder is chowned to it and the master is spawned with its uid/gid. No system
// change is needed. As any other user it simply runs as that user.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { freePort, type RunAs, runAs } from './server-user.ts';

export const DOVECOT_BIN = '/usr/sbin/dovecot';
const HOST = '127.0.0.1';
// Generous: a busy 2-core CI machine may be slow to fork Dovecot's services.
const START_DEADLINE_MS = 20_000;
const STOP_DEADLINE_MS = 10_000;

export interface DovecotUser {
  user: string;
  password: string;
}

export interface DovecotServer {
  host: string;
  port: number;
  /** The temp folder holding config, mail and dovecot.log. */
  dir: string;
  /** imap://user:pass@127.0.0.1:port/<mailbox> (INBOX by default). */
  url(user: string, mailbox?: string): string;
  /** Puts a message into the user's mailbox with IMAP APPEND. */
  append(user: string, raw: Buffer | string, flags?: string[], mailbox?: string): Promise<void>;
  /** Runs fn with a logged-in ImapFlow client of the user's, logged out afterwards. */
  withClient<T>(user: string, fn: (client: ImapFlow) => Promise<T>): Promise<T>;
  /** Stops the server process but keeps the mail: an outage. */
  halt(): Promise<void>;
  /** Starts the server again on the same port after halt(). */
  restart(): Promise<void>;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

/**
 * Whether Dovecot is installed. On CI (process.env.CI set) a missing Dovecot throws instead of letting the
 * e-mail tests skip silently.
 */
export function dovecotAvailable(): boolean {
  const found = existsSync(DOVECOT_BIN);
  if (!found && process.env.CI) {
    throw new Error(`${DOVECOT_BIN} is missing on CI: .ci/run must install dovecot-imapd`);
  }
  return found;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves true once the server greets as ready (which also means its auth process is up). */
function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, HOST);
    let text = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (/^\* OK .*ready\.?\r?$/im.test(text)) done(true);
    });
  });
}

/** Resolves true when nothing accepts connections on the port any more. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, HOST);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

function config(dir: string, port: number, who: RunAs): string {
  return `protocols = imap
listen = ${HOST}
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${who.user}
default_internal_group = ${who.group}
default_login_user = ${who.user}
first_valid_uid = ${who.uid}
mail_location = maildir:~/Maildir
mail_fsync = never
# IDLE normally wakes on inotify; this is the fallback where inotify is unavailable.
mailbox_idle_check_interval = 1 secs
passdb {
  driver = passwd-file
  args = scheme=PLAIN ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${who.uid} gid=${who.gid} home=${dir}/home/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`;
}

interface Running {
  pid: number;
  exited: Promise<void>;
}

// Servers of this process, killed if a test file exits without stop().
const live = new Set<number>();
let exitHookInstalled = false;
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

export async function startDovecot(options: { users: DovecotUser[] }): Promise<DovecotServer> {
  if (!existsSync(DOVECOT_BIN)) {
    throw new Error(`${DOVECOT_BIN} not found: apt-get install -y dovecot-imapd`);
  }
  for (const { user, password } of options.users) {
    // The passwd-file is colon separated, line based.
    if (!/^[A-Za-z0-9._-]+$/.test(user) || /[:\r\n]/.test(password)) {
      throw new Error(`unsupported test user or password for ${JSON.stringify(user)}`);
    }
  }
  const passwords = new Map(options.users.map((u) => [u.user, u.password]));
  const who = runAs();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tgdesk-dovecot-'));
  for (const sub of ['run', 'state', 'home']) await mkdir(path.join(dir, sub));
  await writeFile(path.join(dir, 'passwd'), options.users.map((u) => `${u.user}:${u.password}\n`).join(''));
  const confPath = path.join(dir, 'dovecot.conf');
  for (const p of ['', 'run', 'state', 'home', 'passwd']) await chown(path.join(dir, p), who.uid, who.gid);

  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const pid of live) killGroup(pid, 'SIGKILL');
    });
  }

  const spawnServer = async (port: number): Promise<Running> => {
    await writeFile(confPath, config(dir, port, who));
    await chown(confPath, who.uid, who.gid);
    // A stale pid file from halt() would make the master think it is running already.
    await rm(path.join(dir, 'run', 'master.pid'), { force: true });
    // Its own process group, so one signal reaches the master and all its children.
    const child = spawn(DOVECOT_BIN, ['-F', '-c', confPath], {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      ...(who.drop ? { uid: who.uid, gid: who.gid } : {}),
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < 10_000) stderr += chunk.toString();
    });
    let hasExited = false;
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => {
        hasExited = true;
        resolve();
      });
      child.once('error', (err) => {
        stderr += String(err);
        hasExited = true;
        resolve();
      });
    });
    const pid = child.pid;
    if (pid === undefined) {
      await exited;
      throw new Error(`dovecot did not start: ${stderr}`);
    }
    live.add(pid);
    const deadline = Date.now() + START_DEADLINE_MS;
    while (!(await greets(port))) {
      if (hasExited || Date.now() > deadline) {
        killGroup(pid, 'SIGKILL');
        live.delete(pid);
        const log = await readFile(path.join(dir, 'dovecot.log'), 'utf8').catch(() => '');
        throw new Error(
          `dovecot did not come up on port ${port}: ${stderr.trim()} ${log.split('\n').slice(-10).join('\n')}`,
        );
      }
      await sleep(25);
    }
    return { pid, exited };
  };

  const halt = async (running: Running, port: number): Promise<void> => {
    killGroup(running.pid, 'SIGTERM');
    const timer = setTimeout(() => killGroup(running.pid, 'SIGKILL'), STOP_DEADLINE_MS);
    await running.exited;
    clearTimeout(timer);
    live.delete(running.pid);
    // Children may close the listener a moment after the master has gone.
    const deadline = Date.now() + STOP_DEADLINE_MS;
    while (!(await refused(port)) && Date.now() < deadline) await sleep(25);
  };

  let port = 0;
  let running: Running | null = null;
  // Another process may take the free port between the probe and Dovecot's bind: try a few.
  for (let attempt = 1; !running; attempt++) {
    port = await freePort();
    try {
      running = await spawnServer(port);
    } catch (err) {
      if (attempt >= 3) {
        await rm(dir, { recursive: true, force: true });
        throw err;
      }
    }
  }

  const password = (user: string): string => {
    const pass = passwords.get(user);
    if (pass === undefined) throw new Error(`no such test user: ${user}`);
    return pass;
  };

  const withClient = async <T>(user: string, fn: (client: ImapFlow) => Promise<T>): Promise<T> => {
    const client = new ImapFlow({
      host: HOST,
      port,
      secure: false,
      auth: { user, pass: password(user) },
      logger: false,
    });
    client.on('error', () => {
      // the awaited command reports it
    });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.logout().catch(() => client.close());
    }
  };

  return {
    host: HOST,
    get port() {
      return port;
    },
    dir,
    url: (user, mailbox = 'INBOX') =>
      `imap://${encodeURIComponent(user)}:${encodeURIComponent(password(user))}@${HOST}:${port}/${encodeURIComponent(mailbox)}`,
    append: async (user, raw, flags = [], mailbox = 'INBOX') => {
      const result = await withClient(user, (c) => c.append(mailbox, raw, flags));
      if (!result) throw new Error(`APPEND to ${user}/${mailbox} failed`);
    },
    withClient,
    halt: async () => {
      if (!running) return;
      const was = running;
      running = null;
      await halt(was, port);
    },
    restart: async () => {
      if (running) throw new Error('dovecot is running');
      running = await spawnServer(port);
    },
    stop: async () => {
      if (running) {
        const was = running;
        running = null;
        await halt(was, port);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
