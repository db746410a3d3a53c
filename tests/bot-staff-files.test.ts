// Engineers see what the client sent: the photos and files attached when filing, or with an answer,
// follow the notice in the engineer's chat — photos as one album, documents after them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileStore } from '../core/files/store.ts';
import { act } from '../core/tickets/act.ts';
import { createTicket } from '../core/tickets/create.ts';
import { queryAll } from '../db/access.ts';
import { outbox, tickets } from '../db/schema.ts';
import { type BotWorld, botWorld, button, fileShortRequest } from './bot-harness.ts';

let w: BotWorld | undefined;
afterEach(async () => {
  await w?.close();
  expect(w?.errors ?? []).toEqual([]);
  w = undefined;
});

describe('the client’s files', () => {
  it('reach the 1st line with the new ticket: an album of the photos, then the document', async () => {
    w = await botWorld();
    const line1 = w.tg('line1');
    const u = w.tg('clientA');
    u.send('/new');
    const categories = await u.waitForMessage('Выберите категорию');
    u.press(categories, `c:${w.category.printer}`);
    await u.waitForMessage('Опишите проблему');
    u.send('Наклейка с серийником и ошибка');
    await u.waitForMessage('Добавлено');
    u.sendPhoto({ caption: 'наклейка' });
    u.sendPhoto();
    u.sendDocument({ fileName: 'error-log.txt' });
    await w.emu.waitFor(() => u.inbox().filter((m) => m.text?.includes('Добавлено')).length === 4);
    const more = u.inbox().at(-1);
    if (!more) throw new Error('no prompt');
    u.press(more, 'done');
    u.press(await u.waitForMessage('Сколько людей'), 'i:person');
    u.press(await u.waitForMessage('Насколько срочно'), 'u:medium');
    u.press(await u.waitForMessage('Где это'), 'skip');
    const summary = await u.waitForMessage('Проверьте заявку');
    expect(summary.text).toContain('Файлов: 3');
    u.press(summary, button(summary, 'Отправить'));
    await u.waitForMessage('принята');

    const card = await line1.waitForMessage('Новая заявка');
    await w.emu.waitFor(() => line1.inbox().some((m) => m.document));
    const after = line1.inbox().filter((m) => m.message_id > card.message_id);
    const photos = after.filter((m) => m.photo);
    expect(photos).toHaveLength(2);
    expect(photos[0]?.media_group_id).toBeDefined();
    expect(photos[1]?.media_group_id).toBe(photos[0]?.media_group_id);
    expect(photos[0]?.caption).toBe('Файлы клиента по заявке #1001');
    const documents = after.filter((m) => m.document);
    expect(documents.map((m) => m.document?.file_name)).toEqual(['error-log.txt']);
    expect(documents[0]?.message_id).toBeGreaterThan(photos[1]?.message_id ?? 0);
    // The client gets none of it back.
    expect(u.inbox().filter((m) => m.photo || m.document)).toEqual([]);
  });

  it('reach the assignee with the client’s answer', async () => {
    w = await botWorld();
    const engineer = w.tg('line1');
    const u = w.tg('clientA');
    await fileShortRequest(u, 'Сеть', 'Нет сети');
    const [t] = await queryAll(w.ctx.db.select().from(tickets));
    if (!t) throw new Error('no ticket');
    await act(w.ctx, w.as.line1, t.id, { action: 'take' });
    await act(w.ctx, w.as.line1, t.id, { action: 'ask_customer', question: 'Пришлите фото роутера' });
    const question = await u.waitForMessage('Пришлите фото роутера');
    u.sendPhoto({ caption: 'вот роутер', replyTo: question });
    await u.waitForMessage('Добавлено к заявке #1001');
    const notice = await engineer.waitForMessage('вот роутер');
    const photo = await engineer.waitForMessage(
      (m) => m.photo !== undefined && m.message_id > notice.message_id,
    );
    expect(photo.caption).toBe('Файлы клиента по заявке #1001');
  });

  it('uploaded in the Mini App reach the engineer from the desk’s file store; a missing one is a dead letter', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tgdesk-files-'));
    try {
      w = await botWorld({ filesDir: dir });
      const engineer = w.tg('line1');
      const store = new FileStore(dir);
      const screenshot = await store.put(new TextEncoder().encode('PNG stand-in bytes of a screenshot'));
      await createTicket(w.ctx, w.as.clientA, {
        channel: 'miniapp',
        description: 'Ошибка на экране',
        attachments: [
          { kind: 'photo', storagePath: screenshot, fileName: 'screen.png', mimeType: 'image/png' },
        ],
      });
      const card = await engineer.waitForMessage('Новая заявка');
      const photo = await engineer.waitForMessage(
        (m) => m.photo !== undefined && m.message_id > card.message_id,
      );
      expect(photo.caption).toBe('Файлы клиента по заявке #1001');

      const lost = await createTicket(w.ctx, w.as.clientA, {
        channel: 'miniapp',
        description: 'Файл пропал',
        attachments: [{ kind: 'document', storagePath: `ab/${'0'.repeat(64)}`, fileName: 'gone.pdf' }],
      });
      // Both 1st-line engineers' notices of the lost file end as dead letters that say why, and the
      // notifier reports each as ours to fix (not Telegram's); nothing else goes wrong.
      const world = w;
      const gone = async () =>
        (await queryAll(world.ctx.db.select().from(outbox))).filter(
          (o) => o.kind === 'staff.files' && o.ticketId === lost.id && o.state === 'dead',
        );
      await w.emu.waitFor(async () => (await gone()).length === 2);
      expect((await gone()).map((o) => o.lastError)).toEqual([
        expect.stringContaining('not in the file store'),
        expect.stringContaining('not in the file store'),
      ]);
      await w.emu.waitFor(() => world.errors.length === 2);
      for (const error of w.errors.splice(0)) expect(String(error)).toContain('not in the file store');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
