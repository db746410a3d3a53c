// The pages a web submitter and a known person open from mail, in Chromium on a phone: the status page (a
// comment sent, then a resolved request confirmed as solved) and the confirm page (its button moves the
// request). Plain forms, no script; nothing is fetched from anywhere but the desk.
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act } from '../../core/tickets/act.ts';
import { createTicket } from '../../core/tickets/create.ts';
import { issueLinkToken } from '../../core/webform/confirm.ts';
import { queryAll, queryOne } from '../../db/access.ts';
import { comments, people, tickets } from '../../db/schema.ts';
import { makeWorld } from '../fixtures.ts';
import { ARTIFACTS, type Desk, PHONE, startDesk } from './harness.ts';

let desk: Desk;

beforeAll(async () => {
  desk = await startDesk(await makeWorld());
});

afterAll(async () => {
  await desk?.close();
  expect(desk.foreignRequests).toEqual([]);
});

async function open(path: string, locale: string, colorScheme: 'light' | 'dark'): Promise<Page> {
  const context = await desk.browser.newContext({
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    locale,
    colorScheme,
  });
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (new URL(url).origin !== desk.origin) {
      desk.foreignRequests.push(url);
      await route.abort();
    } else await route.continue();
  });
  const page = await context.newPage();
  await page.goto(`${desk.origin}${path}`);
  return page;
}

const FAR = 4_102_444_800_000;

describe('the form links from mail, in a browser', { timeout: 60_000 }, () => {
  it('status page: a comment sent, then the solution confirmed', async () => {
    const w = desk.world;
    const t = await createTicket(w.ctx, w.as.clientA, { channel: 'web', description: 'Scanner is offline' });
    const token = await issueLinkToken(w.ctx, 'status', t.id, w.ids.clientA, FAR);
    const page = await open(`/form/status/${token}`, 'en-US', 'dark');
    expect(await page.textContent('h1')).toBe(`Request #${t.number}`);
    await page.fill('#body', 'It is the one on floor 2');
    await page.click('button[value="comment"]');
    await page.waitForSelector('.ok:has-text("Your comment was added.")');
    expect(await page.textContent('ol')).toContain('It is the one on floor 2');
    const stored = await queryAll(w.ctx.db.select().from(comments).where(eq(comments.ticketId, t.id)));
    expect(stored.map((c) => c.body)).toEqual(['It is the one on floor 2']);

    await act(w.ctx, w.as.line1, t.id, { action: 'take' });
    await act(w.ctx, w.as.line1, t.id, { action: 'resolve', resolution: 'Restarted it' });
    await page.goto(`${desk.origin}/form/status/${token}`);
    expect(await page.textContent('ol')).toContain('Restarted it');
    await page.screenshot({ path: `${ARTIFACTS}/webform-status-dark.png`, fullPage: true });
    await page.click('button[value="confirm"]');
    await page.waitForSelector('.ok:has-text("The request is closed.")');
    expect((await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, t.id))))?.status).toBe(
      'closed',
    );
    await page.context().close();
  });

  it('confirm page in Russian: opening changes nothing, the button moves the request', async () => {
    const w = desk.world;
    const stranger = await queryOne(
      w.ctx.db
        .insert(people)
        .values({ name: 'Stranger', email: 'someone@example.org', language: 'ru', createdAt: w.clock.now() })
        .returning({ id: people.id }),
    );
    const t = await createTicket(w.ctx, w.as.line1, {
      channel: 'web',
      requesterId: stranger.id,
      description: 'Need a new password',
    });
    const token = await issueLinkToken(w.ctx, 'confirm', t.id, w.ids.clientA, FAR);
    const page = await open(`/form/confirm/${token}`, 'ru-RU', 'light');
    expect(await page.textContent('h1')).toBe('Подтвердите заявку');
    expect((await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, t.id))))?.requesterId).toBe(
      stranger.id,
    );
    await page.screenshot({ path: `${ARTIFACTS}/webform-confirm.png`, fullPage: true });
    await page.click('button[type="submit"]');
    await page.waitForSelector('.done');
    expect(await page.textContent('.done')).toContain('подтверждена');
    expect(await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, t.id)))).toMatchObject({
      requesterId: w.ids.clientA,
      companyId: w.companyA,
    });
    await page.context().close();
  });
});
