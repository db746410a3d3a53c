// One update of a chat at a time across instances (bot/chat-turns.ts): two instances, each with its own
// pool as two processes would have, handle updates of one chat in turn and of different chats at once.
import type { Context } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatTurnsAcrossInstances } from '../../bot/chat-turns.ts';
import { type PostgresServer, postgresAvailable, startPostgres } from '../support/postgres.ts';

const updateOf = (chatId: number | undefined) => ({ chatId }) as unknown as Context;

/** A promise and the function that settles it, for a handler to wait on. */
function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe.skipIf(!postgresAvailable())('chat turns across instances', () => {
  let server: PostgresServer;
  let url: string;
  beforeAll(async () => {
    server = await startPostgres();
    url = await server.createDatabase();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('lets one instance handle a chat while the other waits its turn, and lets other chats go on', async () => {
    const a = chatTurnsAcrossInstances({ connectionString: url });
    const b = chatTurnsAcrossInstances({ connectionString: url });
    try {
      const log: string[] = [];
      const first = gate();
      const entered = gate();
      // Instance A takes chat 42 and holds it until the test opens the gate.
      const holding = a.middleware(updateOf(42), async () => {
        log.push('a:in');
        entered.open();
        await first.opened;
        log.push('a:out');
      });
      await entered.opened;
      // Instance B gets an update of the same chat: it must wait for A.
      const waiting = b.middleware(updateOf(42), async () => {
        log.push('b:in');
      });
      // Meanwhile an update of another chat goes straight through on B.
      await b.middleware(updateOf(43), async () => {
        log.push('b:other');
      });
      expect(log).toEqual(['a:in', 'b:other']);
      first.open();
      await Promise.all([holding, waiting]);
      expect(log).toEqual(['a:in', 'b:other', 'a:out', 'b:in']);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('lets the chat go when a handler throws, and passes updates without a chat through', async () => {
    const a = chatTurnsAcrossInstances({ connectionString: url });
    const b = chatTurnsAcrossInstances({ connectionString: url });
    try {
      await expect(
        a.middleware(updateOf(7), async () => {
          throw new Error('handler failed');
        }),
      ).rejects.toThrow('handler failed');
      let handled = false;
      await b.middleware(updateOf(7), async () => {
        handled = true;
      });
      expect(handled).toBe(true);
      let passed = false;
      await a.middleware(updateOf(undefined), async () => {
        passed = true;
      });
      expect(passed).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('keeps many updates of one chat from two instances strictly one at a time', async () => {
    const instances = [
      chatTurnsAcrossInstances({ connectionString: url }),
      chatTurnsAcrossInstances({ connectionString: url }),
    ];
    try {
      let inside = 0;
      let most = 0;
      let done = 0;
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          instances[i % 2]?.middleware(updateOf(99), async () => {
            inside++;
            most = Math.max(most, inside);
            await new Promise<void>((resolve) => setImmediate(resolve));
            inside--;
            done++;
          }),
        ),
      );
      expect(done).toBe(40);
      expect(most).toBe(1);
    } finally {
      for (const instance of instances) await instance.close();
    }
  });
});
