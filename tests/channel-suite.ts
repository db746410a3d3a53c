// The tests every channel passes (ARCHITECTURE.md, "One seam for every channel"): an unknown sender is
// recorded and lands with the 1st line; a reply lands on the right ticket; files survive; the same message
// delivered twice makes nothing twice. A channel plugs in with a driver that speaks it for real.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryAll, queryOne } from '../db/access.ts';
import { type AttachmentRow, attachments, comments, memberships, people, tickets } from '../db/schema.ts';
import type { World } from './fixtures.ts';

/** A request as the channel delivered it, to be delivered again. */
export interface Delivery {
  ticketId: number;
}

export interface ChannelDriver {
  world: World;
  /** Someone the desk has never heard of files a request. */
  strangerFiles(text: string): Promise<Delivery>;
  /** The fixtures' Client A files a request, with a file when given. */
  clientFiles(text: string, file?: Buffer): Promise<Delivery>;
  /** The same message delivered once more (a retried delivery, a second mailbox); resolves once taken. */
  deliverAgain(delivery: Delivery): Promise<void>;
  /** Client A answers in the request's thread, the way the channel threads. */
  clientReplies(delivery: Delivery, text: string): Promise<void>;
  /** The bytes of a stored attachment, fetched the way staff would get them. */
  bytesOf(file: AttachmentRow): Promise<Buffer>;
  close(): Promise<void>;
}

/** A tiny real PNG: its bytes must come back unchanged. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

export function channelSuite(channel: string, start: () => Promise<ChannelDriver>): void {
  describe(`the ${channel} channel on the intake seam`, { timeout: 60_000 }, () => {
    const withDriver = (body: (d: ChannelDriver) => Promise<void>) => async () => {
      const driver = await start();
      try {
        await body(driver);
      } finally {
        await driver.close();
      }
    };
    const ticketOf = async (d: ChannelDriver, id: number) =>
      await queryOne(d.world.ctx.db.select().from(tickets).where(eq(tickets.id, id)));

    it(
      'records an unknown sender and lands the request with the 1st line, unverified',
      withDriver(async (d) => {
        const before = (await queryAll(d.world.ctx.db.select().from(people))).length;
        const { ticketId } = await d.strangerFiles('Не работает принтер на втором этаже');
        const ticket = await ticketOf(d, ticketId);
        expect(ticket).toMatchObject({ channel, line: 'line1', status: 'new', companyId: null });
        expect(await queryAll(d.world.ctx.db.select().from(people))).toHaveLength(before + 1);
        const requester = ticket?.requesterId ?? -1;
        expect(Object.values(d.world.ids)).not.toContain(requester);
        expect(
          await queryAll(
            d.world.ctx.db.select().from(memberships).where(eq(memberships.personId, requester)),
          ),
        ).toEqual([]);
      }),
    );

    it(
      'puts a reply on the ticket it answers, not on another of the same person',
      withDriver(async (d) => {
        const first = await d.clientFiles('Не печатает принтер');
        const second = await d.clientFiles('Не открывается почта');
        await d.clientReplies(first, 'Модель принтера: Canon LBP2900');
        const on = async (id: number) =>
          (
            await queryAll(
              d.world.ctx.db.select({ body: comments.body }).from(comments).where(eq(comments.ticketId, id)),
            )
          ).map((c) => c.body);
        expect(await on(first.ticketId)).toEqual(['Модель принтера: Canon LBP2900']);
        expect(await on(second.ticketId)).toEqual([]);
        expect((await ticketOf(d, first.ticketId))?.requesterId).toBe(d.world.ids.clientA);
      }),
    );

    it(
      'keeps a file byte for byte',
      withDriver(async (d) => {
        const { ticketId } = await d.clientFiles('Вот снимок ошибки', PNG);
        const files = (
          await queryAll(d.world.ctx.db.select().from(attachments).where(eq(attachments.ticketId, ticketId)))
        ).filter((a) => !a.internal);
        expect(files).toHaveLength(1);
        expect(files[0]?.kind).toBe('photo');
        expect(await d.bytesOf(files[0] as AttachmentRow)).toEqual(PNG);
      }),
    );

    it(
      'makes no second ticket when the same message is delivered again',
      withDriver(async (d) => {
        const delivery = await d.clientFiles('Сломалась клавиатура');
        await d.deliverAgain(delivery);
        const all = await queryAll(d.world.ctx.db.select().from(tickets));
        expect(all.map((t) => t.id)).toEqual([delivery.ticketId]);
      }),
    );
  });
}
