// The shared channel suite for the website form, over HTTP as a browser sends it: a solved challenge and a
// form token, the fields (multipart with the file), and the desk's answer. Client A files with their own
// address, so the request waits under a new person until they confirm it by the mailed link; the confirm
// page leads them to the status page, where they answer. A resend is the same form with the same proof.
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { and, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { CONFIRM_WEB_NOTICE } from '../core/webform/confirm.ts';
import { webformForAdmin } from '../core/webform/settings.ts';
import { execute, queryOne } from '../db/access.ts';
import { outbox, people, tickets } from '../db/schema.ts';
import { type ApiWorld, apiWorld, call } from './api-harness.ts';
import { type ChannelDriver, channelSuite } from './channel-suite.ts';

const ORIGIN = 'https://desk.example';
const CLIENT_A_EMAIL = 'client.a@alpha.example';

/** What a browser sent for one request, to send again. */
interface Sent {
  fields: Record<string, string>;
  file: Buffer | undefined;
}

channelSuite('web', async (): Promise<ChannelDriver> => {
  const world: ApiWorld = await apiWorld(
    {},
    {
      miniAppUrl: `${ORIGIN}/app/`,
      webformLimits: { perIpHour: 100, perIpDay: 100, perFormDay: 100 },
    },
  );
  await execute(
    world.ctx.db.update(people).set({ email: CLIENT_A_EMAIL }).where(eq(people.id, world.ids.clientA)),
  );
  const formKey = (await webformForAdmin(world.ctx, world.as.admin)).key;
  const sent = new Map<number, Sent>();
  /** The status page of each request Client A confirmed, as the confirm page linked it. */
  const statusPages = new Map<number, string>();
  let strangers = 0;

  const post = async ({ fields, file }: Sent) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    if (file) form.append('files', new Blob([new Uint8Array(file)], { type: 'image/png' }), 'screen.png');
    const res = await world.app.request(`/form/${formKey}`, { method: 'POST', body: form });
    const json = (await res.json()) as { ticket?: { number: number } };
    expect(res.status, JSON.stringify(json)).toBeLessThan(300);
    const ticket = await queryOne(
      world.ctx.db
        .select()
        .from(tickets)
        .where(eq(tickets.number, json.ticket?.number ?? -1)),
    );
    if (!ticket) throw new Error('the desk named no request');
    return ticket.id;
  };

  const files = async (name: string, email: string, text: string, file?: Buffer) => {
    const challenge = await call(world, null, 'GET', `/form/${formKey}/challenge`);
    const solution = await solveChallenge({ challenge: challenge.json.challenge, deriveKey });
    if (!solution) throw new Error('no solution');
    // The person takes a while to type: the desk's clock, not a sleep.
    world.clock.advance(5_000);
    const request: Sent = {
      fields: {
        name,
        email,
        description: text,
        token: challenge.json.token,
        altcha: Buffer.from(JSON.stringify({ challenge: challenge.json.challenge, solution })).toString(
          'base64',
        ),
      },
      file,
    };
    const ticketId = await post(request);
    sent.set(ticketId, request);
    return ticketId;
  };

  /** Client A opens the mailed link and presses the button; the page they land on links the status page. */
  const confirmByLink = async (ticketId: number) => {
    const mail = await queryOne(
      world.ctx.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.ticketId, ticketId), eq(outbox.kind, CONFIRM_WEB_NOTICE))),
    );
    const link = String(mail?.payload.link ?? '');
    expect(link.startsWith(ORIGIN)).toBe(true);
    const done = await world.app.request(link.slice(ORIGIN.length), {
      method: 'POST',
      body: new URLSearchParams({ lang: 'ru' }),
      headers: { Accept: 'text/html' },
    });
    const page = await done.text();
    const follow = /id="follow" href="([^"]+)"/.exec(page)?.[1];
    if (!follow) throw new Error(`the confirm page links no status page: ${page}`);
    statusPages.set(ticketId, follow.replaceAll('&amp;', '&'));
  };

  return {
    world,
    strangerFiles: async (text) => {
      const n = ++strangers;
      return { ticketId: await files(`Незнакомец ${n}`, `stranger${n}@example.net`, text) };
    },
    clientFiles: async (text, file) => {
      const ticketId = await files('Клиент А', CLIENT_A_EMAIL, text, file);
      await confirmByLink(ticketId);
      return { ticketId };
    },
    deliverAgain: async ({ ticketId }) => {
      // The answer was lost, the person taps Send again: the same page, the same proof.
      const request = sent.get(ticketId);
      if (request) expect(await post(request)).toBe(ticketId);
    },
    clientReplies: async ({ ticketId }, text) => {
      const path = statusPages.get(ticketId) ?? '';
      const page = await (await world.app.request(path)).text();
      const key = /name="key" value="([^"]+)"/.exec(page)?.[1] ?? '';
      const res = await world.app.request(path, {
        method: 'POST',
        body: new URLSearchParams({ do: 'comment', body: text, key, lang: 'ru' }),
      });
      expect(res.status).toBe(200);
    },
    bytesOf: async (file) => {
      const res = await call(world, 'line1', 'GET', `/api/tickets/${file.ticketId}/attachments/${file.id}`);
      expect(res.status).toBe(200);
      return Buffer.from(res.bytes);
    },
    close: async () => {},
  };
});
