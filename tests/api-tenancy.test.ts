// Every route as every kind of person: nothing of another company (or another requester) ever shows up in
// an answer, internal notes, events and files never reach clients, exports hold only allowed rows,
// reports and set-up are refused to those who may not have them, and a refused write writes nothing.
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fileDigest } from '../core/directory/apply.ts';
import { readDirectoryCsv } from '../core/directory/parse.ts';
import { planDirectory } from '../core/directory/plan.ts';
import { SYSTEM } from '../core/permissions.ts';
import { ctiToken } from '../core/phone/cti-token.ts';
import { act } from '../core/tickets/act.ts';
import { addComment } from '../core/tickets/comment.ts';
import { createTicket } from '../core/tickets/create.ts';
import { issueLinkToken } from '../core/webform/confirm.ts';
import { webformForAdmin } from '../core/webform/settings.ts';
import { queryAll, queryOne } from '../db/access.ts';
import { attachments, contracts, memberships } from '../db/schema.ts';
import { type Answer, type ApiWorld, apiWorld, call } from './api-harness.ts';
import { counts, type PersonKey } from './fixtures.ts';

type TicketKey = 'tA' | 'tA2' | 'tOnsite' | 'tB' | 'tU';
const SUBJECT: Record<TicketKey, string> = {
  tA: 'ALPHA-MARK printer of Client A',
  tA2: 'ALPHA2-MARK monitor of Client A2',
  tOnsite: 'ONSITE-MARK cabling at Alpha',
  tB: 'BETA-MARK plant network',
  tU: 'STRANGER-MARK hello',
};
const INTERNAL = 'INTERNAL-MARK';
const INTERNAL_FILE = 'internal-file';

interface Persona {
  key: PersonKey;
  /** Tickets this person may see. */
  sees: TicketKey[];
  /** Companies whose ids may appear (null: unverified tickets). */
  companies: ('A' | 'B' | null)[];
  /** Texts that must never appear in what they get. */
  never: string[];
  staff: boolean;
  seesAll: boolean;
  admin: boolean;
  /** The other side's ticket and company, which they aim at. */
  foreign: { ticket: TicketKey; company: 'A' | 'B' };
}

const ALL: TicketKey[] = ['tA', 'tA2', 'tOnsite', 'tB', 'tU'];
const client = (never: string[]) => [...never, INTERNAL, INTERNAL_FILE, SUBJECT.tU];
const PERSONAS: Persona[] = [
  {
    key: 'clientA',
    sees: ['tA'],
    companies: ['A'],
    never: client([SUBJECT.tA2, SUBJECT.tOnsite, SUBJECT.tB, 'Beta JSC']),
    staff: false,
    seesAll: false,
    admin: false,
    foreign: { ticket: 'tB', company: 'B' },
  },
  {
    key: 'clientB',
    sees: ['tB'],
    companies: ['B'],
    never: client([SUBJECT.tA, SUBJECT.tA2, SUBJECT.tOnsite, 'Alpha LLC']),
    staff: false,
    seesAll: false,
    admin: false,
    foreign: { ticket: 'tA', company: 'A' },
  },
  {
    key: 'managerA',
    sees: ['tA', 'tA2', 'tOnsite'],
    companies: ['A'],
    never: client([SUBJECT.tB, 'Beta JSC']),
    staff: false,
    seesAll: false,
    admin: false,
    foreign: { ticket: 'tB', company: 'B' },
  },
  {
    key: 'managerB',
    sees: ['tB'],
    companies: ['B'],
    never: client([SUBJECT.tA, SUBJECT.tA2, SUBJECT.tOnsite, 'Alpha LLC']),
    staff: false,
    seesAll: false,
    admin: false,
    foreign: { ticket: 'tA', company: 'A' },
  },
  ...(['line1', 'line2', 'supervisor', 'admin'] as const).map(
    (key): Persona => ({
      key,
      sees: ALL,
      companies: ['A', 'B', null],
      never: [],
      staff: true,
      seesAll: true,
      admin: key === 'admin',
      foreign: { ticket: 'tB', company: 'B' },
    }),
  ),
  {
    key: 'field',
    sees: ['tOnsite'],
    // Null: staff roles have no company (in /api/me).
    companies: ['A', null],
    never: [SUBJECT.tA, SUBJECT.tA2, SUBJECT.tB, SUBJECT.tU, 'Beta JSC'],
    staff: true,
    seesAll: false,
    admin: false,
    foreign: { ticket: 'tB', company: 'B' },
  },
  {
    key: 'stranger',
    sees: ['tU'],
    companies: [null],
    never: [
      SUBJECT.tA,
      SUBJECT.tA2,
      SUBJECT.tOnsite,
      SUBJECT.tB,
      'Alpha LLC',
      'Beta JSC',
      INTERNAL,
      INTERNAL_FILE,
    ],
    staff: false,
    seesAll: false,
    admin: false,
    foreign: { ticket: 'tA', company: 'A' },
  },
];

interface Fixture {
  w: ApiWorld;
  ticket: Record<TicketKey, { id: number; number: number }>;
  publicFile: Record<TicketKey, number>;
  internalFile: Record<TicketKey, number>;
  company: Record<'A' | 'B', number>;
}

async function fixture(): Promise<Fixture> {
  const w = await apiWorld({ start: '2026-11-09T10:00:00+03:00' });
  const file = async (who: PersonKey, key: TicketKey) => {
    const t = await createTicket(w.ctx, w.as[who], {
      channel: 'telegram',
      description: SUBJECT[key],
      subject: SUBJECT[key],
    });
    return { id: t.id, number: t.number };
  };
  const ticket = {
    tA: await file('clientA', 'tA'),
    tA2: await file('clientA2', 'tA2'),
    tOnsite: await file('clientA2', 'tOnsite'),
    tB: await file('clientB', 'tB'),
    tU: await file('stranger', 'tU'),
  };
  await act(w.ctx, w.as.line1, ticket.tOnsite.id, { action: 'triage' });
  await act(w.ctx, w.as.line1, ticket.tOnsite.id, {
    action: 'schedule_visit',
    startsAt: w.clock.now() + 86_400_000,
    endsAt: w.clock.now() + 90_000_000,
    engineerId: w.ids.field,
  });
  const publicFile = {} as Record<TicketKey, number>;
  const internalFile = {} as Record<TicketKey, number>;
  for (const key of ALL) {
    const id = ticket[key].id;
    await act(w.ctx, w.as.line1, id, { action: 'categorize', categoryId: w.category.network });
    await addComment(w.ctx, w.as.line1, id, {
      body: `${INTERNAL} about ${key}`,
      internal: true,
      attachments: [
        { kind: 'document', fileName: `${INTERNAL_FILE}-${key}.pdf`, telegramFileId: `int-${key}` },
      ],
    });
    const { comment } = await addComment(w.ctx, w.as.line1, id, {
      body: `public reply about ${key}`,
      attachments: [{ kind: 'photo', telegramFileId: `pub-${key}` }],
    });
    w.files.set(`int-${key}`, new TextEncoder().encode(`${INTERNAL} bytes`));
    w.files.set(`pub-${key}`, new TextEncoder().encode(`public bytes of ${key}`));
    const rows = (await queryAll(w.ctx.db.select().from(attachments))).filter((a) => a.ticketId === id);
    publicFile[key] = rows.find((a) => a.commentId === comment.id)?.id as number;
    internalFile[key] = rows.find((a) => a.internal)?.id as number;
  }
  return { w, ticket, publicFile, internalFile, company: { A: w.companyA, B: w.companyB } };
}

/** All tables a refused request must leave alone. */
async function allCounts(w: ApiWorld) {
  const n = async (table: string) =>
    ((await queryOne(w.ctx.db, sql.raw(`select count(*) as n from ${table}`))) as { n: number }).n;
  return {
    ...(await counts(w)),
    memberships: await n('memberships'),
    companies: await n('companies'),
    contracts: await n('contracts'),
    categories: await n('categories'),
    calendars: await n('business_calendars'),
    exceptions: await n('calendar_exceptions'),
    invites: await n('invites'),
    slots: await n('visit_slots'),
    settings: await n('desk_settings'),
    versions: ((await queryOne(w.ctx.db, sql`select sum(version) as n from tickets`)) as { n: number }).n,
  };
}

interface Probe {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** What this probe must get, when it differs from the row's rule. */
  status?: number;
}

interface Row {
  /** As in app.routes. */
  route: string;
  probes: (p: Persona, f: Fixture) => Probe[] | Promise<Probe[]>;
  /** What this person must get (status), when the route decides by who they are. */
  status?: (p: Persona) => number;
  writes?: true;
}

const DAY = 86_400_000;
const period = (f: Fixture) => `from=${f.w.clock.now() - 30 * DAY}&to=${f.w.clock.now() + DAY}`;
const foreignTicket = (p: Persona, f: Fixture) => f.ticket[p.foreign.ticket];
const foreignCompany = (p: Persona, f: Fixture) => f.company[p.foreign.company];
const reports = (p: Persona) => (p.seesAll ? 200 : 403);
/** A client directory file: a new person at the other side's company and one at a new company. */
const DIRECTORY_FILE =
  'company;name;phone\r\nBeta JSC;Probe Person;+79161112299\r\nGamma Ltd;Gamma Person;+79161112298\r\n';
const CSV_TYPE = { 'Content-Type': 'text/csv' };
/** A small text file as the Mini App uploads it (multipart/form-data, field "file"). */
const UPLOAD_TYPE = { 'Content-Type': 'multipart/form-data; boundary=probe-boundary' };
const UPLOAD_FORM =
  '--probe-boundary\r\nContent-Disposition: form-data; name="file"; filename="probe.txt"\r\n' +
  'Content-Type: text/plain\r\n\r\nprobe text\r\n--probe-boundary--\r\n';
const adminOnly = (ok: number) => (p: Persona) => (p.admin ? ok : 403);
const seesForeign = (ok: number) => (p: Persona) => (p.sees.includes(p.foreign.ticket) ? ok : 404);
/** The phone console: the 1st line, supervisors and admins take calls. */
const takesCalls = (ok: number) => (p: Persona) =>
  p.key === 'line1' || p.key === 'supervisor' || p.key === 'admin' ? ok : 403;

/** Every route of the API, reads first. A route missing here fails the first test. */
const ROUTES: Row[] = [
  { route: 'GET /healthz', probes: () => [{ method: 'GET', path: '/healthz' }], status: () => 200 },
  {
    // The PBX's webhook: its token decides, whoever's init data comes along; a wrong one writes nothing.
    route: 'POST /api/telephony/cti/:token',
    probes: async (p, f) => [
      {
        method: 'POST',
        path: '/api/telephony/cti/not-the-token',
        body: { event: 'newCall', callId: `probe-${p.key}`, from: '+79161112200', direction: 'in' },
        status: 401,
      },
      {
        method: 'POST',
        path: `/api/telephony/cti/${await ctiToken(f.w.ctx, SYSTEM)}`,
        body: { event: 'hangup', callId: `probe-${p.key}`, from: '+79161112200', direction: 'in' },
        status: 200,
      },
    ],
    writes: true,
  },
  {
    // The website form is public: its key decides, whoever's init data comes along.
    route: 'GET /form/:key',
    probes: async (_p, f) => [
      { method: 'GET', path: '/form/not-the-key', status: 404 },
      { method: 'GET', path: `/form/${(await webformForAdmin(f.w.ctx, f.w.as.admin)).key}`, status: 200 },
    ],
  },
  {
    route: 'GET /form/:key/embed.js',
    probes: async (_p, f) => [
      { method: 'GET', path: '/form/not-the-key/embed.js', status: 404 },
      {
        method: 'GET',
        path: `/form/${(await webformForAdmin(f.w.ctx, f.w.as.admin)).key}/embed.js`,
        status: 200,
      },
    ],
  },
  {
    route: 'GET /form/:key/altcha.js',
    probes: async (_p, f) => [
      { method: 'GET', path: '/form/not-the-key/altcha.js', status: 404 },
      {
        method: 'GET',
        path: `/form/${(await webformForAdmin(f.w.ctx, f.w.as.admin)).key}/altcha.js`,
        status: 200,
      },
    ],
  },
  {
    route: 'GET /form/:key/challenge',
    probes: async (_p, f) => [
      { method: 'GET', path: '/form/not-the-key/challenge', status: 404 },
      {
        method: 'GET',
        path: `/form/${(await webformForAdmin(f.w.ctx, f.w.as.admin)).key}/challenge`,
        status: 200,
      },
    ],
  },
  {
    // A known person's confirm link: its signature decides; opening it changes nothing.
    route: 'GET /form/confirm/:token',
    probes: async (_p, f) => [
      { method: 'GET', path: '/form/confirm/1.1.99999999999999.forged', status: 404 },
      {
        method: 'GET',
        path: `/form/confirm/${await issueLinkToken(f.w.ctx, 'confirm', 1, 1, 4_102_444_800_000)}`,
        status: 200,
      },
    ],
  },
  {
    route: 'POST /form/confirm/:token',
    probes: () => [{ method: 'POST', path: '/form/confirm/1.1.99999999999999.forged', status: 404 }],
  },
  {
    // A web submitter's status page: only a genuine link of the request's own requester opens it.
    route: 'GET /form/status/:token',
    probes: async (_p, f) => [
      { method: 'GET', path: '/form/status/1.1.99999999999999.forged', status: 404 },
      {
        method: 'GET',
        path: `/form/status/${await issueLinkToken(f.w.ctx, 'status', f.ticket.tA.id, f.w.ids.line1, 4_102_444_800_000)}`,
        status: 404,
      },
    ],
  },
  {
    route: 'POST /form/status/:token',
    probes: () => [{ method: 'POST', path: '/form/status/1.1.99999999999999.forged', status: 404 }],
  },
  {
    // Without its token and proof of work a submission is refused and writes nothing.
    route: 'POST /form/:key',
    probes: async (_p, f) => [
      { method: 'POST', path: '/form/not-the-key', body: { name: 'Probe' }, status: 404 },
      {
        method: 'POST',
        path: `/form/${(await webformForAdmin(f.w.ctx, f.w.as.admin)).key}`,
        body: { name: 'Probe', description: 'probe' },
        status: 400,
      },
    ],
    writes: true,
  },
  { route: 'GET /api/me', probes: () => [{ method: 'GET', path: '/api/me' }], status: () => 200 },
  {
    route: 'GET /api/categories',
    probes: () => [{ method: 'GET', path: '/api/categories' }],
    status: () => 200,
  },
  {
    route: 'GET /api/companies',
    probes: () => [{ method: 'GET', path: '/api/companies' }],
    status: () => 200,
  },
  {
    route: 'GET /api/staff',
    probes: () => [{ method: 'GET', path: '/api/staff?line=line2' }],
    status: (p) => (p.staff ? 200 : 403),
  },
  {
    route: 'GET /api/tickets',
    probes: (p, f) => [
      { method: 'GET', path: '/api/tickets' },
      { method: 'GET', path: `/api/tickets?companyId=${foreignCompany(p, f)}` },
      { method: 'GET', path: `/api/tickets?q=${encodeURIComponent(`#${foreignTicket(p, f).number}`)}` },
      { method: 'GET', path: '/api/tickets?q=MARK' },
      { method: 'GET', path: `/api/tickets?requesterId=${f.w.ids.clientB}&mine=1` },
    ],
    status: () => 200,
  },
  {
    route: 'GET /api/tickets/export.csv',
    probes: (p, f) => [
      { method: 'GET', path: '/api/tickets/export.csv' },
      { method: 'GET', path: `/api/tickets/export.csv?companyId=${foreignCompany(p, f)}` },
    ],
    status: () => 200,
  },
  {
    route: 'GET /api/tickets/export.xlsx',
    probes: (p, f) => [
      { method: 'GET', path: '/api/tickets/export.xlsx' },
      { method: 'GET', path: `/api/tickets/export.xlsx?companyId=${foreignCompany(p, f)}` },
    ],
    status: () => 200,
  },
  {
    route: 'GET /api/tickets/:id',
    probes: (p, f) => [{ method: 'GET', path: `/api/tickets/${foreignTicket(p, f).id}` }],
    status: seesForeign(200),
  },
  {
    route: 'GET /api/tickets/:id/attachments/:attachmentId',
    probes: (p, f) => [
      {
        method: 'GET',
        path: `/api/tickets/${foreignTicket(p, f).id}/attachments/${f.publicFile[p.foreign.ticket]}`,
      },
      // Another ticket's file through a ticket one may see.
      {
        method: 'GET',
        path: `/api/tickets/${f.ticket[p.sees[0] as TicketKey].id}/attachments/${f.publicFile[p.foreign.ticket]}`,
        status: 404,
      },
    ],
    status: (p) => (p.seesAll ? 200 : 404),
  },
  {
    route: 'GET /api/board',
    probes: (p, f) => [
      { method: 'GET', path: '/api/board' },
      { method: 'GET', path: `/api/board?companyId=${foreignCompany(p, f)}` },
    ],
    status: (p) => (p.staff ? 200 : 403),
  },
  {
    route: 'GET /api/phone/callers',
    probes: () => [
      { method: 'GET', path: `/api/phone/callers?number=${encodeURIComponent('8 916 555-00-11 доб. 5')}` },
    ],
    status: takesCalls(200),
  },
  {
    route: 'GET /api/reports',
    probes: (p, f) => [
      { method: 'GET', path: `/api/reports?${period(f)}&companyId=${foreignCompany(p, f)}` },
    ],
    status: reports,
  },
  {
    route: 'GET /api/reports/export.csv',
    probes: (p, f) => [
      { method: 'GET', path: `/api/reports/export.csv?${period(f)}&companyId=${foreignCompany(p, f)}` },
    ],
    status: reports,
  },
  {
    route: 'GET /api/reports/export.xlsx',
    probes: (p, f) => [
      { method: 'GET', path: `/api/reports/export.xlsx?${period(f)}&companyId=${foreignCompany(p, f)}` },
    ],
    status: reports,
  },
  ...['companies', 'contracts', 'calendars', 'categories', 'people'].map(
    (what): Row => ({
      route: `GET /api/admin/${what}`,
      probes: () => [{ method: 'GET', path: `/api/admin/${what}` }],
      status: adminOnly(200),
    }),
  ),
  ...['setup', 'desk'].map(
    (what): Row => ({
      route: `GET /api/admin/${what}`,
      probes: () => [{ method: 'GET', path: `/api/admin/${what}` }],
      status: adminOnly(200),
    }),
  ),
  {
    route: 'POST /api/tickets',
    probes: (p, f) => [
      {
        method: 'POST',
        path: '/api/tickets',
        body: {
          description: 'filed for the other side',
          impact: 'person',
          urgency: 'low',
          companyId: foreignCompany(p, f),
        },
      },
      {
        method: 'POST',
        path: '/api/tickets',
        body: {
          description: 'filed for someone else',
          impact: 'person',
          urgency: 'low',
          requesterId: p.foreign.company === 'B' ? f.w.ids.clientB : f.w.ids.clientA,
        },
      },
    ],
    writes: true,
  },
  {
    route: 'POST /api/tickets/:id/comments',
    probes: (p, f) => [
      { method: 'POST', path: `/api/tickets/${foreignTicket(p, f).id}/comments`, body: { body: 'probe' } },
      // An upload that is not this person's (or none at all): refused, nothing written.
      {
        method: 'POST',
        path: `/api/tickets/${foreignTicket(p, f).id}/comments`,
        body: { body: 'probe', uploads: ['0123456789abcdef0123456789abcdef'] },
        status: p.sees.includes(p.foreign.ticket) ? 400 : 404,
      },
    ],
    status: seesForeign(201),
    writes: true,
  },
  {
    // A caller of the other side: a new contact linked to its company, then a word on its open request.
    route: 'POST /api/phone/calls',
    probes: (p, f) => [
      {
        method: 'POST',
        path: '/api/phone/calls',
        body: {
          number: '+7 916 555-00-11',
          name: 'Probe Caller',
          companyId: foreignCompany(p, f),
          description: 'phoned in',
          impact: 'person',
          urgency: 'low',
        },
      },
      {
        method: 'POST',
        path: '/api/phone/calls',
        body: { number: '+7 916 555-00-11', ticketId: foreignTicket(p, f).id, text: 'caller added' },
      },
    ],
    status: takesCalls(201),
    writes: true,
  },
  {
    // Anyone may upload a file (it is theirs alone until they file it); it reaches a ticket only through
    // POST /api/tickets or …/comments, which check the ticket (tests/api-uploads.test.ts).
    route: 'POST /api/uploads',
    probes: () => [{ method: 'POST', path: '/api/uploads', body: UPLOAD_FORM, headers: UPLOAD_TYPE }],
    status: () => 201,
  },
  {
    route: 'POST /api/tickets/:id/actions',
    probes: (p, f) => [
      {
        method: 'POST',
        path: `/api/tickets/${foreignTicket(p, f).id}/actions`,
        body: { action: 'cancel', reason: 'probe' },
      },
    ],
    status: (p) => (p.sees.includes(p.foreign.ticket) ? (p.key === 'line2' ? 409 : 200) : 404),
    writes: true,
  },
  {
    route: 'POST /api/reports/send',
    probes: (p, f) => [
      {
        method: 'POST',
        path: '/api/reports/send',
        body: {
          from: f.w.clock.now() - 30 * DAY,
          to: f.w.clock.now() + DAY,
          companyId: foreignCompany(p, f),
          format: 'csv',
        },
      },
    ],
    status: (p) => (p.seesAll ? 202 : 403),
    writes: true,
  },
  {
    route: 'POST /api/admin/companies',
    probes: () => [{ method: 'POST', path: '/api/admin/companies', body: { name: 'Gamma Ltd' } }],
    status: adminOnly(201),
    writes: true,
  },
  {
    route: 'PATCH /api/admin/companies/:id',
    probes: (p, f) => [
      {
        method: 'PATCH',
        path: `/api/admin/companies/${foreignCompany(p, f)}`,
        body: { phone: '+7 900 000-00-00' },
      },
    ],
    status: adminOnly(200),
    writes: true,
  },
  {
    route: 'POST /api/admin/contracts',
    probes: async (p, f) => {
      const current = (await queryAll(f.w.ctx.db.select().from(contracts))).find(
        (c) => c.companyId === foreignCompany(p, f),
      );
      if (!current) throw new Error('no contract');
      const { id: _id, ...fields } = current;
      return [
        {
          method: 'POST',
          path: '/api/admin/contracts',
          body: { ...fields, name: 'Renewed', startsAt: f.w.clock.now() + DAY },
        },
      ];
    },
    status: adminOnly(201),
    writes: true,
  },
  {
    route: 'PATCH /api/admin/contracts/:id',
    probes: async (p, f) => [
      {
        method: 'PATCH',
        path: `/api/admin/contracts/${
          (await queryAll(f.w.ctx.db.select().from(contracts))).find(
            (c) => c.companyId === foreignCompany(p, f),
          )?.id
        }`,
        body: { autoCloseBusinessDays: 5 },
      },
    ],
    status: adminOnly(200),
    writes: true,
  },
  {
    route: 'POST /api/admin/calendars',
    probes: () => [
      {
        method: 'POST',
        path: '/api/admin/calendars',
        body: {
          name: 'Yekaterinburg',
          timeZone: 'Asia/Yekaterinburg',
          week: { mon: ['09:00-18:00'], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
          exceptions: [],
        },
      },
    ],
    status: adminOnly(201),
    writes: true,
  },
  {
    route: 'PATCH /api/admin/calendars/:id',
    probes: () => [
      { method: 'PATCH', path: '/api/admin/calendars/1', body: { name: 'Moscow office hours' } },
    ],
    status: adminOnly(200),
    writes: true,
  },
  {
    route: 'POST /api/admin/categories',
    probes: () => [
      {
        method: 'POST',
        path: '/api/admin/categories',
        body: { code: 'mail', nameRu: 'Почта', nameEn: 'Mail' },
      },
    ],
    status: adminOnly(201),
    writes: true,
  },
  {
    route: 'PATCH /api/admin/categories/:id',
    probes: (_p, f) => [
      { method: 'PATCH', path: `/api/admin/categories/${f.w.category.printer}`, body: { sort: 5 } },
    ],
    status: adminOnly(200),
    writes: true,
  },
  {
    route: 'PATCH /api/admin/people/:id',
    probes: (p, f) => [
      {
        method: 'PATCH',
        path: `/api/admin/people/${p.foreign.company === 'B' ? f.w.ids.clientB : f.w.ids.clientA}`,
        body: { email: 'someone@example.org' },
      },
    ],
    status: adminOnly(200),
    writes: true,
  },
  {
    route: 'POST /api/admin/people/:id/roles',
    probes: (p, f) => [
      {
        method: 'POST',
        path: `/api/admin/people/${f.w.ids[p.key]}/roles`,
        body: { role: 'client_manager', companyId: foreignCompany(p, f) },
      },
    ],
    status: adminOnly(201),
    writes: true,
  },
  {
    route: 'DELETE /api/admin/people/:id/roles/:membershipId',
    probes: async (p, f) => {
      const personId = p.foreign.company === 'B' ? f.w.ids.managerB : f.w.ids.managerA;
      const m = (await queryAll(f.w.ctx.db.select().from(memberships))).find((x) => x.personId === personId);
      return [{ method: 'DELETE', path: `/api/admin/people/${personId}/roles/${m?.id}` }];
    },
    status: adminOnly(200),
    writes: true,
  },
  {
    route: 'POST /api/admin/invites',
    probes: (p, f) => [
      {
        method: 'POST',
        path: '/api/admin/invites',
        body: { role: 'client', companyId: foreignCompany(p, f) },
      },
      { method: 'POST', path: '/api/admin/invites', body: { role: 'admin' } },
    ],
    status: adminOnly(201),
    writes: true,
  },
  {
    route: 'PATCH /api/admin/desk',
    probes: () => [
      { method: 'PATCH', path: '/api/admin/desk', body: { name: 'Taken over', timeZone: 'Asia/Omsk' } },
    ],
    status: adminOnly(200),
    writes: true,
  },
  ...(['csv', 'xlsx'] as const).map(
    (type): Row => ({
      route: `GET /api/admin/directory/export.${type}`,
      probes: () => [{ method: 'GET', path: `/api/admin/directory/export.${type}` }],
      status: adminOnly(200),
    }),
  ),
  {
    route: 'POST /api/admin/directory/preview',
    probes: () => [
      { method: 'POST', path: '/api/admin/directory/preview', body: DIRECTORY_FILE, headers: CSV_TYPE },
    ],
    status: adminOnly(200),
  },
  {
    // The digest of the plan for the store as it is when the probe is made (the admin's own preview).
    route: 'POST /api/admin/directory/import',
    probes: async (_p, f) => {
      const bytes = new TextEncoder().encode(DIRECTORY_FILE);
      const { digest } = await planDirectory(f.w.ctx.db, readDirectoryCsv(bytes), fileDigest(bytes));
      return [
        {
          method: 'POST',
          path: `/api/admin/directory/import?confirm=${digest}`,
          body: DIRECTORY_FILE,
          headers: CSV_TYPE,
        },
      ];
    },
    status: adminOnly(200),
    writes: true,
  },
  // Telephony: the webhook's token for admins; the callback queue for staff (no such call here: 404).
  {
    route: 'GET /api/admin/telephony',
    probes: () => [{ method: 'GET', path: '/api/admin/telephony' }],
    status: adminOnly(200),
  },
  {
    route: 'POST /api/admin/telephony/rotate',
    probes: () => [{ method: 'POST', path: '/api/admin/telephony/rotate' }],
    status: adminOnly(200),
    writes: true,
  },
  {
    route: 'GET /api/admin/webform',
    probes: () => [{ method: 'GET', path: '/api/admin/webform' }],
    status: adminOnly(200),
  },
  {
    route: 'PATCH /api/admin/webform',
    probes: () => [{ method: 'PATCH', path: '/api/admin/webform', body: { enabled: true } }],
    status: adminOnly(200),
    writes: true,
  },
  {
    route: 'GET /api/calls/callbacks',
    probes: () => [{ method: 'GET', path: '/api/calls/callbacks' }],
    status: (p) => (p.staff ? 200 : 403),
  },
  {
    route: 'POST /api/calls/:callId/callback-done',
    probes: () => [{ method: 'POST', path: '/api/calls/no-such-call/callback-done' }],
    status: (p) => (p.staff ? 404 : 403),
    writes: true,
  },
  {
    route: 'POST /api/calls/:callId/ticket',
    probes: (p, f) => [
      { method: 'POST', path: '/api/calls/no-such-call/ticket', body: { ticketId: foreignTicket(p, f).id } },
    ],
    status: (p) => (p.staff ? 404 : 403),
    writes: true,
  },
  // Held mail: admins only; no mail is held in the fixture, so an admin hears "not found".
  {
    route: 'GET /api/admin/mail',
    probes: () => [{ method: 'GET', path: '/api/admin/mail' }],
    status: adminOnly(200),
  },
  {
    route: 'GET /api/admin/mail/quarantine/:id/original',
    probes: () => [{ method: 'GET', path: '/api/admin/mail/quarantine/1/original' }],
    status: adminOnly(404),
  },
  ...(['take', 'dismiss'] as const).map(
    (action): Row => ({
      route: `POST /api/admin/mail/quarantine/:id/${action}`,
      probes: () => [{ method: 'POST', path: `/api/admin/mail/quarantine/1/${action}` }],
      status: adminOnly(404),
    }),
  ),
  // The desk's mail settings: admins only; empty ones (checking nothing reaches no server).
  {
    route: 'GET /api/admin/mail/settings',
    probes: () => [{ method: 'GET', path: '/api/admin/mail/settings' }],
    status: adminOnly(200),
  },
  {
    route: 'PUT /api/admin/mail/settings',
    probes: () => [{ method: 'PUT', path: '/api/admin/mail/settings', body: { mailboxes: [] } }],
    status: adminOnly(200),
    writes: true,
  },
  {
    route: 'POST /api/admin/mail/settings/check',
    probes: () => [{ method: 'POST', path: '/api/admin/mail/settings/check', body: { mailboxes: [] } }],
    status: adminOnly(200),
  },
];

/** The workbook's cells as text, and the numbers in the first column of its last sheet (the tickets). */
async function readXlsx(bytes: Uint8Array): Promise<{ text: string; numbers: number[] }> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  const parts: string[] = [];
  for (const sheet of book.worksheets) {
    sheet.eachRow((row) => {
      row.eachCell((cell) => {
        parts.push(String(cell.value));
      });
    });
  }
  const last = book.worksheets.at(-1);
  const numbers: number[] = [];
  last?.eachRow((row, i) => {
    if (i > 1) numbers.push(Number(row.getCell(1).value));
  });
  return { text: parts.join('\n'), numbers };
}

/** Ticket numbers in a CSV: the first cell of each row after the ticket header. */
function csvNumbers(text: string): number[] {
  const lines = text.replace(/^\uFEFF/, '').split('\r\n');
  const header = lines.findIndex((l) => l.startsWith('Номер,') || l.startsWith('Number,'));
  return lines
    .slice(header + 1)
    .filter(Boolean)
    .map((l) => Number(l.split(',')[0]));
}

/** Every value under `key` anywhere in a JSON value. */
function valuesOf(json: unknown, key: string, into: unknown[] = []): unknown[] {
  if (Array.isArray(json)) for (const v of json) valuesOf(v, key, into);
  else if (json && typeof json === 'object') {
    for (const [k, v] of Object.entries(json)) {
      if (k === key) into.push(v);
      valuesOf(v, key, into);
    }
  }
  return into;
}

async function check(p: Persona, f: Fixture, row: Row, probe: Probe, res: Answer): Promise<void> {
  const where = `${p.key} ${probe.method} ${probe.path}`;
  expect(res.status, where).toBeLessThan(500);
  if (res.status >= 400) expect(res.json?.error?.code, where).toEqual(expect.any(String));
  const xlsx = (res.headers.get('content-type') ?? '').includes('spreadsheetml')
    ? await readXlsx(res.bytes)
    : null;
  const text = xlsx ? xlsx.text : res.text;
  for (const secret of p.never) expect(text, `${where} leaks "${secret}"`).not.toContain(secret);

  const visible = new Set(p.sees.map((k) => f.ticket[k].number));
  // The client directory's files hold no tickets.
  const numbers: number[] = row.route.includes('/admin/directory/')
    ? []
    : xlsx
      ? xlsx.numbers
      : (res.headers.get('content-type') ?? '').startsWith('text/csv')
        ? csvNumbers(res.text)
        : (valuesOf(res.json, 'number') as number[]);
  // Tickets filed by this very probe (POST /api/tickets, a call) are theirs; everything else must be visible.
  const filedNow =
    row.route === 'POST /api/tickets' || row.route === 'POST /api/phone/calls'
      ? valuesOf(res.json, 'number')
      : [];
  for (const n of numbers)
    if (!filedNow.includes(n)) expect(visible.has(n), `${where} shows #${n}`).toBe(true);
  const companies = new Set(p.companies.map((c) => (c === null ? null : f.company[c])));
  if (!p.seesAll && !row.route.startsWith('GET /api/admin')) {
    for (const id of valuesOf(res.json, 'companyId')) {
      expect(companies.has(id as number | null), `${where} shows company ${id}`).toBe(true);
    }
  }
}

describe('every route, as every kind of person', { timeout: 60_000 }, () => {
  let routes: Set<string>;
  beforeAll(async () => {
    routes = new Set(
      (await apiWorld()).app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`),
    );
  });

  it('lists every route of the app, and only those', () => {
    expect(new Set(ROUTES.map((r) => r.route))).toEqual(routes);
    expect(ROUTES.length).toBe(routes.size);
  });

  for (const p of PERSONAS) {
    it(`${p.key}: sees only what is theirs`, async () => {
      const f = await fixture();
      for (const row of ROUTES) {
        for (const probe of await row.probes(p, f)) {
          const before = await allCounts(f.w);
          const res = await call(
            f.w,
            probe.path === '/healthz' ? null : p.key,
            probe.method,
            probe.path,
            probe.body,
            probe.headers,
          );
          await check(p, f, row, probe, res);
          const status = probe.status ?? row.status?.(p);
          if (status !== undefined) expect(res.status, `${p.key} ${probe.method} ${probe.path}`).toBe(status);
          if (row.writes && res.status >= 400) {
            expect(await allCounts(f.w), `${p.key} ${probe.method} ${probe.path} wrote`).toEqual(before);
          }
        }
      }
    });
  }

  it('answers the list and the exports with exactly the tickets each person may see', async () => {
    const f = await fixture();
    for (const p of PERSONAS) {
      const expected = p.sees.map((k) => f.ticket[k].number).sort();
      const list = await call(f.w, p.key, 'GET', '/api/tickets');
      expect(valuesOf(list.json.tickets, 'number').sort(), p.key).toEqual(expected);
      const csv = await call(f.w, p.key, 'GET', '/api/tickets/export.csv');
      expect(csvNumbers(csv.text).sort(), p.key).toEqual(expected);
      const xlsx = await readXlsx((await call(f.w, p.key, 'GET', '/api/tickets/export.xlsx')).bytes);
      expect(xlsx.numbers.sort(), p.key).toEqual(expected);
    }
  });

  it('keeps internal notes, events and files from clients on their own tickets', async () => {
    const f = await fixture();
    for (const [who, key] of [
      ['clientA', 'tA'],
      ['managerA', 'tA2'],
      ['clientB', 'tB'],
      ['stranger', 'tU'],
    ] as const) {
      const page = await call(f.w, who, 'GET', `/api/tickets/${f.ticket[key].id}`);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain(INTERNAL);
      expect(page.text).not.toContain(INTERNAL_FILE);
      expect(page.json.timeline.some((e: { internal: boolean }) => e.internal)).toBe(false);
      expect(page.json.timeline.some((e: { type: string }) => e.type === 'categorize')).toBe(false);
      expect(page.json.comments.map((c: { body: string }) => c.body)).toEqual([`public reply about ${key}`]);
      const internalFile = await call(
        f.w,
        who,
        'GET',
        `/api/tickets/${f.ticket[key].id}/attachments/${f.internalFile[key]}`,
      );
      expect(internalFile.status).toBe(404);
      expect(internalFile.text).not.toContain(INTERNAL);
      const publicFile = await call(
        f.w,
        who,
        'GET',
        `/api/tickets/${f.ticket[key].id}/attachments/${f.publicFile[key]}`,
      );
      expect(publicFile.status).toBe(200);
      expect(publicFile.text).toBe(`public bytes of ${key}`);
    }
    // Staff see them all.
    const staff = await call(f.w, 'line2', 'GET', `/api/tickets/${f.ticket.tA.id}`);
    expect(staff.text).toContain(INTERNAL);
    expect(staff.json.timeline.some((e: { type: string }) => e.type === 'categorize')).toBe(true);
    const file = await call(
      f.w,
      'line2',
      'GET',
      `/api/tickets/${f.ticket.tA.id}/attachments/${f.internalFile.tA}`,
    );
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toContain(`${INTERNAL_FILE}-tA.pdf`);
  });

  it("gives a manager their own company's report and no one else's", async () => {
    const f = await fixture();
    const own = await call(f.w, 'managerA', 'GET', `/api/reports?${period(f)}`);
    expect(own.status).toBe(200);
    expect(own.json.report).toMatchObject({ companyId: f.company.A, total: 3 });
    const named = await call(f.w, 'managerA', 'GET', `/api/reports?${period(f)}&companyId=${f.company.A}`);
    expect(named.json.report.total).toBe(3);
    const csv = await call(f.w, 'managerA', 'GET', `/api/reports/export.csv?${period(f)}`);
    expect(csvNumbers(csv.text).sort()).toEqual(
      [f.ticket.tA.number, f.ticket.tA2.number, f.ticket.tOnsite.number].sort(),
    );
    expect(csv.text).not.toContain('BETA-MARK');
    const all = await call(f.w, 'managerA', 'GET', `/api/reports?${period(f)}&companyId=${f.company.B}`);
    expect(all.status).toBe(403);
    const invite = await call(f.w, 'managerA', 'POST', '/api/admin/invites', {
      role: 'client',
      companyId: f.company.A,
    });
    expect(invite.status).toBe(201);
    expect(invite.json.link).toBe(`https://t.me/tgdesk_test_bot?start=${invite.json.code}`);
  });
});
