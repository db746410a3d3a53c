// The shared channel suite for Telegram: people talk to the real bot through the local Bot API emulator,
// and the bot files through the intake seam.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Message } from 'grammy/types';
import { afterAll, expect, vi } from 'vitest';
import { ticketOfMessage } from '../bot/message-links.ts';
import { queryAll } from '../db/access.ts';
import { tickets } from '../db/schema.ts';
import type { TestUser } from '../emulator/index.ts';
import { botWorld } from './bot-harness.ts';
import { type ChannelDriver, channelSuite } from './channel-suite.ts';

const dir = mkdtempSync(join(tmpdir(), 'tgdesk-channel-telegram-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

channelSuite('telegram', async (): Promise<ChannelDriver> => {
  const world = await botWorld({ filesDir: mkdtempSync(join(dir, 'files-')) });
  let strangers = 900_000;
  /** Each filing's last step and its answer, so it can be sent again and replied to. */
  const filings = new Map<number, { user: TestUser; summary: Message; accepted: Message }>();

  /** The guided intake from /new to "accepted", with a photo when given. */
  const file = async (user: TestUser, text: string, photo?: Buffer) => {
    user.send('/new');
    const category = await user.waitForMessage('Выберите категорию');
    user.press(category, `c:${world.category.printer}`);
    await user.waitForMessage('Опишите проблему');
    user.send(text);
    let added = await user.waitForMessage('Добавлено');
    if (photo) {
      const after = added.message_id;
      user.sendPhoto({ bytes: photo });
      added = await user.waitForMessage(
        (m) => m.text?.includes('Добавлено') === true && m.message_id > after,
      );
    }
    user.press(added, 'done');
    user.press(await user.waitForMessage('Сколько людей'), 'i:person');
    user.press(await user.waitForMessage('Насколько срочно'), 'u:medium');
    user.press(await user.waitForMessage('Где это'), 'skip');
    const summary = await user.waitForMessage('Проверьте заявку');
    user.press(summary, 'send');
    const accepted = await user.waitForMessage('принята');
    const number = Number(/#(\d+)/.exec(accepted.text ?? '')?.[1]);
    const ticketId =
      (await queryAll(world.ctx.db.select().from(tickets))).find((t) => t.number === number)?.id ?? -1;
    filings.set(ticketId, { user, summary, accepted });
    return { ticketId };
  };

  return {
    world,
    strangerFiles: async (text) => file(world.emu.user({ id: ++strangers, first_name: 'Незнакомец' }), text),
    clientFiles: async (text, photo) => file(world.tg('clientA'), text, photo),
    deliverAgain: async ({ ticketId }) => {
      // The same "send" pressed once more (a retried tap, an update delivered again).
      const filing = filings.get(ticketId);
      if (!filing) return;
      const answered = filing.user.answers().length;
      filing.user.press(filing.summary, 'send');
      // The bot answers the tap (an outdated button) instead of filing again.
      await vi.waitFor(() => expect(filing.user.answers().length).toBeGreaterThan(answered), {
        timeout: 20_000,
      });
    },
    clientReplies: async ({ ticketId }, text) => {
      // A reply to the bot's "accepted" message, which the bot linked to the ticket.
      const filing = filings.get(ticketId);
      if (!filing) return;
      if ((await ticketOfMessage(world.ctx.db, filing.user.id, filing.accepted.message_id)) !== ticketId) {
        throw new Error('the accepted message is not linked to its ticket');
      }
      filing.user.send(text, { replyTo: filing.accepted });
      await filing.user.waitForMessage('Добавлено к заявке');
    },
    bytesOf: async (attachment) => {
      const api = `${world.emu.apiRoot}/bot${world.emu.token}`;
      const got = (await (await fetch(`${api}/getFile?file_id=${attachment.telegramFileId}`)).json()) as {
        result: { file_path: string };
      };
      const response = await fetch(`${world.emu.apiRoot}/file/bot${world.emu.token}/${got.result.file_path}`);
      return Buffer.from(await response.arrayBuffer());
    },
    close: () => world.close(),
  };
});
