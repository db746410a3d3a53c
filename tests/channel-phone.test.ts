// The shared channel suite for phone calls, through the operator console's HTTP API as the Mini App calls
// it: the 1st line types the caller's number and files (or adds to #N), files go up with POST /api/uploads
// first, and a resubmit carries the same Idempotency-Key.
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { execute } from '../db/access.ts';
import { people } from '../db/schema.ts';
import { apiWorld, call, initData } from './api-harness.ts';
import { type ChannelDriver, channelSuite } from './channel-suite.ts';

const CLIENT_A_PHONE = '8 (916) 123-45-67';

channelSuite('phone', async (): Promise<ChannelDriver> => {
  const world = await apiWorld();
  await execute(
    world.ctx.db.update(people).set({ phone: '+79161234567' }).where(eq(people.id, world.ids.clientA)),
  );
  let strangers = 0;
  let keys = 0;
  /** Each filing's body and key, to submit again. */
  const filings = new Map<number, { body: Record<string, unknown>; key: string }>();

  const upload = async (bytes: Buffer): Promise<string> => {
    const form = new FormData();
    form.set('file', new File([new Uint8Array(bytes)], 'screen.png', { type: 'image/png' }));
    const res = await world.app.request('/api/uploads', {
      method: 'POST',
      headers: { Authorization: `tma ${await initData(world, 'line1')}` },
      body: form,
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { upload: { id: string } }).upload.id;
  };
  const submit = async (body: Record<string, unknown>, key: string) => {
    const res = await call(world, 'line1', 'POST', '/api/phone/calls', body, { 'Idempotency-Key': key });
    expect(res.status, res.text).toBeLessThan(300);
    return res.json as { ticket: { id: number } };
  };
  const files = async (number: string, text: string, file?: Buffer, name?: string) => {
    const body = {
      number,
      ...(name ? { name } : {}),
      description: text,
      impact: 'person',
      urgency: 'medium',
      ...(file ? { uploads: [await upload(file)] } : {}),
    };
    const key = `call-${++keys}`;
    const { ticket } = await submit(body, key);
    filings.set(ticket.id, { body, key });
    return { ticketId: ticket.id };
  };

  return {
    world,
    strangerFiles: async (text) =>
      files(`+7 926 000-00-${String(++strangers).padStart(2, '0')}`, text, undefined, 'Незнакомец'),
    clientFiles: async (text, file) => files(CLIENT_A_PHONE, text, file),
    deliverAgain: async ({ ticketId }) => {
      // The operator's Send again after a lost answer: the same body, the same key.
      const filing = filings.get(ticketId);
      if (filing) await submit(filing.body, filing.key);
    },
    clientReplies: async ({ ticketId }, text) => {
      await submit({ number: CLIENT_A_PHONE, ticketId, text }, `call-${++keys}`);
    },
    bytesOf: async (file) => {
      const res = await call(world, 'line1', 'GET', `/api/tickets/${file.ticketId}/attachments/${file.id}`);
      expect(res.status).toBe(200);
      return Buffer.from(res.bytes);
    },
    close: async () => {},
  };
});
