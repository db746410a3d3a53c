// The store of tgdesk on PostgreSQL: the same tables, columns, keys and indexes as db/schema.ts (SQLite), which
// stays the reference and holds the comments on what each table and column means. tests/store-schemas.test.ts
// holds the two to each other. Where PostgreSQL stores a column differently:
// - instants (UTC milliseconds) and Telegram chat and user ids are bigint in number mode: they exceed 2^31
//   (chat ids are negative, user ids pass 2^32) and stay below 2^53, so JavaScript numbers hold them exactly;
// - integer primary keys are identity columns that still accept explicit ids (BY DEFAULT), so a store can be
//   moved over with its ids (the sequence must then be moved past them with setval);
// - SQLite's 0/1 booleans are boolean, its JSON text is jsonb, its REAL (8 bytes) is double precision.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { CalendarSpec, DayHours } from '../../core/calendar/business-calendar.ts';
import type { Channel, Impact, Language, Line, Priority, Role, Status, Urgency } from '../../core/model.ts';
import type { PriorityMatrix, SlaTargets } from '../../core/sla-policy.ts';
import {
  type CallDirection,
  type CallState,
  type MessageRefChannel,
  OUTBOX_UNDELIVERED,
  type OutboxChannel,
  type PromptPurpose,
  REPORT_FR_TIMED,
  REPORT_PENDING,
  REPORT_RES_TIMED,
} from '../sqlite/schema.ts';

/** UTC milliseconds, or a Telegram chat or user id. */
const big = (name: string) => bigint(name, { mode: 'number' });
const id = () => integer('id').primaryKey().generatedByDefaultAsIdentity();
const createdAt = () => big('created_at').notNull();

export const businessCalendars = pgTable('business_calendars', {
  id: id(),
  name: text('name').notNull(),
  timeZone: text('time_zone').notNull(),
  week: jsonb('week').$type<CalendarSpec['week']>().notNull(),
});

export const calendarExceptions = pgTable(
  'calendar_exceptions',
  {
    calendarId: integer('calendar_id')
      .notNull()
      .references(() => businessCalendars.id, { onDelete: 'cascade' }),
    date: text('date').notNull(), // local YYYY-MM-DD, compared as text as in SQLite
    name: text('name'),
    hours: jsonb('hours').$type<DayHours>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.calendarId, t.date] })],
);

export const companies = pgTable(
  'companies',
  {
    id: id(),
    name: text('name').notNull(),
    inn: text('inn'),
    emailDomain: text('email_domain'),
    phone: text('phone'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('companies_inn').on(t.inn)],
);

export const contracts = pgTable(
  'contracts',
  {
    id: id(),
    companyId: integer('company_id').references(() => companies.id),
    name: text('name').notNull(),
    startsAt: big('starts_at').notNull(),
    endsAt: big('ends_at'),
    calendarId: integer('calendar_id').references(() => businessCalendars.id),
    slaTargets: jsonb('sla_targets').$type<SlaTargets>().notNull(),
    priorityMatrix: jsonb('priority_matrix').$type<PriorityMatrix>().notNull(),
    autoCloseBusinessDays: integer('auto_close_business_days').notNull().default(3),
  },
  (t) => [index('contracts_company').on(t.companyId, t.startsAt)],
);

export const people = pgTable(
  'people',
  {
    id: id(),
    telegramUserId: big('telegram_user_id'),
    name: text('name').notNull(),
    phone: text('phone'),
    email: text('email'),
    language: text('language').$type<'ru' | 'en'>().notNull().default('ru'),
    unreachableAt: big('unreachable_at'),
    groupNoticesPrivate: boolean('group_notices_private').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('people_telegram').on(t.telegramUserId),
    index('people_phone').on(t.phone),
    index('people_email').on(t.email),
  ],
);

export const memberships = pgTable(
  'memberships',
  {
    id: id(),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    role: text('role').$type<Role>().notNull(),
    companyId: integer('company_id').references(() => companies.id),
  },
  (t) => [
    index('memberships_person').on(t.personId),
    index('memberships_role').on(t.role),
    // SQLite has this expression index only in its custom migration 0001 (drizzle-kit's SQLite side cannot
    // express it); here the schema holds it, the same expression, so an ON CONFLICT target reads the same.
    uniqueIndex('memberships_unique').on(t.personId, t.role, sql`coalesce(${t.companyId}, 0)`),
  ],
);

export const categories = pgTable('categories', {
  id: id(),
  code: text('code').notNull().unique(),
  nameRu: text('name_ru').notNull(),
  nameEn: text('name_en').notNull(),
  sort: integer('sort').notNull().default(0),
  active: boolean('active').notNull().default(true),
});

export const tickets = pgTable(
  'tickets',
  {
    id: id(),
    number: integer('number').notNull().unique(),
    channel: text('channel').$type<Channel>().notNull(),
    requesterId: integer('requester_id')
      .notNull()
      .references(() => people.id),
    companyId: integer('company_id').references(() => companies.id),
    contractId: integer('contract_id').references(() => contracts.id),
    categoryId: integer('category_id').references(() => categories.id),
    subject: text('subject').notNull(),
    description: text('description').notNull(),
    location: text('location'),
    impact: text('impact').$type<Impact>().notNull(),
    urgency: text('urgency').$type<Urgency>().notNull(),
    priority: text('priority').$type<Priority>().notNull(),
    status: text('status').$type<Status>().notNull(),
    line: text('line').$type<Line>().notNull(),
    assigneeId: integer('assignee_id').references(() => people.id),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: big('updated_at').notNull(),

    firstResponseDueAt: big('first_response_due_at').notNull(),
    firstRespondedAt: big('first_responded_at'),
    firstResponseMinutes: doublePrecision('first_response_minutes'),
    firstResponseMet: boolean('first_response_met'),
    resolutionDueAt: big('resolution_due_at').notNull(),
    slaPausedAt: big('sla_paused_at'),
    slaPausedMinutes: doublePrecision('sla_paused_minutes').notNull().default(0),
    resolvedAt: big('resolved_at'),
    resolutionMinutes: doublePrecision('resolution_minutes'),
    resolutionMet: boolean('resolution_met'),
    closedAt: big('closed_at'),
    resolutionText: text('resolution_text'),

    visitStartsAt: big('visit_starts_at'),
    visitEndsAt: big('visit_ends_at'),
    visitCheckedInAt: big('visit_checked_in_at'),
    visitCheckedOutAt: big('visit_checked_out_at'),

    slaAlerts: integer('sla_alerts').notNull().default(0),

    rating: integer('rating'),
    ratingComment: text('rating_comment'),

    intakeKey: text('intake_key').unique(),
  },
  (t) => [
    index('tickets_company_created').on(t.companyId, t.createdAt),
    index('tickets_company_id').on(t.companyId, t.id),
    index('tickets_requester_id').on(t.requesterId, t.id),
    index('tickets_line_id').on(t.line, t.id),
    index('tickets_created').on(t.createdAt),
    index('tickets_requester').on(t.requesterId, t.createdAt),
    index('tickets_assignee_status').on(t.assigneeId, t.status),
    index('tickets_status_due').on(t.status, t.resolutionDueAt),
    index('tickets_report_fr').on(t.createdAt, t.firstResponseMinutes).where(sql.raw(REPORT_FR_TIMED)),
    index('tickets_report_fr_company')
      .on(t.companyId, t.createdAt, t.firstResponseMinutes)
      .where(sql.raw(REPORT_FR_TIMED)),
    index('tickets_report_res')
      .on(t.assigneeId, t.createdAt, t.resolutionMinutes)
      .where(sql.raw(REPORT_RES_TIMED)),
    index('tickets_report_res_company')
      .on(t.companyId, t.assigneeId, t.createdAt, t.resolutionMinutes)
      .where(sql.raw(REPORT_RES_TIMED)),
    index('tickets_report_pending').on(t.createdAt).where(sql.raw(REPORT_PENDING)),
    index('tickets_report_pending_company').on(t.companyId, t.createdAt).where(sql.raw(REPORT_PENDING)),
  ],
);

/** Kept by the trigger functions of the custom migration report_days_triggers (SQLite: triggers of 0015). */
export const reportDays = pgTable(
  'report_days',
  {
    companyId: integer('company_id').notNull(),
    /** created_at / 86 400 000: days since 1970 fit an integer. */
    day: integer('day').notNull(),
    kind: text('kind').notNull(),
    value: text('value').notNull(),
    tickets: integer('tickets').notNull().default(0),
    ratingSum: integer('rating_sum').notNull().default(0),
    ratingCount: integer('rating_count').notNull().default(0),
    frAnswered: integer('fr_answered').notNull().default(0),
    frMet: integer('fr_met').notNull().default(0),
    resolved: integer('resolved').notNull().default(0),
    resMet: integer('res_met').notNull().default(0),
    resTimed: integer('res_timed').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.day, t.kind, t.value] })],
);

export const ticketEvents = pgTable(
  'ticket_events',
  {
    id: id(),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    at: big('at').notNull(),
    actorId: integer('actor_id').references(() => people.id),
    type: text('type').notNull(),
    fromStatus: text('from_status').$type<Status>(),
    toStatus: text('to_status').$type<Status>(),
    internal: boolean('internal').notNull().default(false),
    data: jsonb('data').$type<Record<string, unknown>>(),
  },
  (t) => [index('ticket_events_ticket').on(t.ticketId, t.id)],
);

export const comments = pgTable(
  'comments',
  {
    id: id(),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    authorId: integer('author_id').references(() => people.id),
    body: text('body').notNull(),
    internal: boolean('internal').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index('comments_ticket').on(t.ticketId, t.id)],
);

export const attachments = pgTable(
  'attachments',
  {
    id: id(),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    commentId: integer('comment_id').references(() => comments.id),
    uploadedBy: integer('uploaded_by').references(() => people.id),
    kind: text('kind').$type<'photo' | 'document' | 'voice' | 'video' | 'audio'>().notNull(),
    fileName: text('file_name'),
    mimeType: text('mime_type'),
    size: integer('size'),
    telegramFileId: text('telegram_file_id'),
    telegramFileUniqueId: text('telegram_file_unique_id'),
    storagePath: text('storage_path'),
    internal: boolean('internal').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index('attachments_ticket').on(t.ticketId)],
);

export const outbox = pgTable(
  'outbox',
  {
    id: id(),
    createdAt: createdAt(),
    ticketId: integer('ticket_id').references(() => tickets.id),
    eventId: integer('event_id').references(() => ticketEvents.id),
    recipientId: integer('recipient_id').references(() => people.id),
    channel: text('channel').$type<OutboxChannel>().notNull(),
    kind: text('kind').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    state: text('state').$type<'pending' | 'sending' | 'sent' | 'dead'>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: big('next_attempt_at').notNull(),
    lastError: text('last_error'),
    sentAt: big('sent_at'),
    /**
     * While 'sending', on PostgreSQL: the claiming instance's name, whose session lock lives as long as that
     * instance (core/outbox.ts, StaleClaimsWatch); unused on SQLite, where one process claims.
     */
    claimedBy: text('claimed_by'),
  },
  (t) => [
    index('outbox_due').on(t.state, t.nextAttemptAt),
    index('outbox_recipient').on(t.recipientId, t.state),
    index('outbox_undelivered').on(t.recipientId, t.id).where(sql.raw(OUTBOX_UNDELIVERED)),
  ],
);

export const conversationState = pgTable('conversation_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: big('updated_at').notNull(),
});

export const intakeDrafts = pgTable('intake_drafts', {
  chatId: big('chat_id').primaryKey(),
  ownerId: big('owner_id').notNull(),
  intakeKey: text('intake_key').notNull(),
  step: text('step').notNull(),
  // Text as in SQLite: the intake parses it itself.
  draft: text('draft').notNull(),
  updatedAt: big('updated_at').notNull(),
});

export const handledUpdates = pgTable(
  'handled_updates',
  {
    // Telegram's update ids are 32-bit.
    updateId: integer('update_id').primaryKey(),
    handledAt: big('handled_at').notNull(),
  },
  (t) => [index('handled_updates_at').on(t.handledAt)],
);

export const invites = pgTable(
  'invites',
  {
    id: id(),
    code: text('code').notNull().unique(),
    role: text('role').$type<Role>().notNull(),
    companyId: integer('company_id').references(() => companies.id),
    createdBy: integer('created_by').references(() => people.id),
    createdAt: big('created_at').notNull(),
    expiresAt: big('expires_at').notNull(),
    maxUses: integer('max_uses').notNull().default(1),
    uses: integer('uses').notNull().default(0),
    revokedAt: big('revoked_at'),
  },
  (t) => [index('invites_company').on(t.companyId)],
);

export const messageRefs = pgTable(
  'message_refs',
  {
    channel: text('channel').$type<MessageRefChannel>().notNull(),
    ref: text('ref').notNull(),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    direction: text('direction').$type<'in' | 'out'>().notNull().default('out'),
    createdAt: big('created_at').notNull(),
    purpose: text('purpose').$type<PromptPurpose>(),
    personId: integer('person_id').references(() => people.id),
  },
  (t) => [primaryKey({ columns: [t.channel, t.ref] }), index('message_refs_ticket').on(t.ticketId)],
);

export const deskSettings = pgTable('desk_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: big('updated_at').notNull(),
});

export const ticketTopics = pgTable('ticket_topics', {
  ticketId: integer('ticket_id')
    .primaryKey()
    .references(() => tickets.id),
  chatId: big('chat_id').notNull(),
  // Message and topic ids are 32-bit in the Bot API; only chat and user ids are wider.
  threadId: integer('thread_id').notNull(),
  cardMessageId: integer('card_message_id'),
  title: text('title').notNull(),
  closed: boolean('closed').notNull().default(false),
  createdAt: big('created_at').notNull(),
});

export const visitSlots = pgTable(
  'visit_slots',
  {
    id: id(),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    startsAt: big('starts_at').notNull(),
    endsAt: big('ends_at').notNull(),
    engineerId: integer('engineer_id').references(() => people.id),
    offeredBy: integer('offered_by').references(() => people.id),
    offeredAt: big('offered_at').notNull(),
    state: text('state').$type<'offered' | 'picked' | 'withdrawn'>().notNull().default('offered'),
  },
  (t) => [index('visit_slots_ticket').on(t.ticketId, t.state)],
);

export const cannedReplies = pgTable('canned_replies', {
  id: id(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  titleEn: text('title_en'),
  bodyEn: text('body_en'),
  sort: integer('sort').notNull().default(0),
  active: boolean('active').notNull().default(true),
});

export const mailboxCursors = pgTable('mailbox_cursors', {
  mailbox: text('mailbox').primaryKey(),
  // IMAP's UIDVALIDITY and UIDs are unsigned 32-bit: above a PostgreSQL integer's 2^31 - 1.
  uidValidity: bigint('uid_validity', { mode: 'number' }).notNull(),
  lastUid: bigint('last_uid', { mode: 'number' }).notNull(),
  updatedAt: big('updated_at').notNull(),
});

export const mailQuarantine = pgTable(
  'mail_quarantine',
  {
    id: id(),
    mailKey: text('mail_key').notNull().unique(),
    mailbox: text('mailbox').notNull(),
    fromAddress: text('from_address'),
    subject: text('subject'),
    reason: text('reason').notNull(),
    storagePath: text('storage_path').notNull(),
    size: integer('size').notNull(),
    state: text('state').$type<'held' | 'taken' | 'dismissed'>().notNull().default('held'),
    ticketId: integer('ticket_id').references(() => tickets.id),
    receivedAt: big('received_at').notNull(),
    decidedAt: big('decided_at'),
  },
  (t) => [index('mail_quarantine_state').on(t.state, t.receivedAt)],
);

export const calls = pgTable(
  'calls',
  {
    id: id(),
    callId: text('call_id').notNull().unique(),
    direction: text('direction').$type<CallDirection>().notNull(),
    fromNumber: text('from_number'),
    toNumber: text('to_number'),
    personId: integer('person_id').references(() => people.id),
    companyId: integer('company_id').references(() => companies.id),
    state: text('state').$type<CallState>().notNull(),
    answeredById: integer('answered_by_id').references(() => people.id),
    answeredByName: text('answered_by_name'),
    queue: text('queue'),
    startedAt: big('started_at').notNull(),
    answeredAt: big('answered_at'),
    endedAt: big('ended_at'),
    cause: text('cause'),
    ticketId: integer('ticket_id').references(() => tickets.id),
    ticketEventId: integer('ticket_event_id').references(() => ticketEvents.id),
    callbackDueAt: big('callback_due_at'),
    callbackDoneAt: big('callback_done_at'),
    callbackDoneBy: integer('callback_done_by').references(() => people.id),
    updatedAt: big('updated_at').notNull(),
  },
  (t) => [
    index('calls_callback').on(t.callbackDoneAt, t.callbackDueAt),
    index('calls_person').on(t.personId, t.startedAt),
    index('calls_ticket').on(t.ticketId),
  ],
);

export const publicHits = pgTable(
  'public_hits',
  {
    id: id(),
    bucket: text('bucket').notNull(),
    at: big('at').notNull(),
  },
  (t) => [index('public_hits_bucket').on(t.bucket, t.at), index('public_hits_at').on(t.at)],
);

export const clientGroups = pgTable('client_groups', {
  id: id(),
  chatId: big('chat_id').notNull().unique(),
  companyId: integer('company_id')
    .notNull()
    .references(() => companies.id),
  title: text('title').notNull(),
  language: text('language').$type<Language>().notNull(),
  boundById: integer('bound_by_id').references(() => people.id),
  boundAt: big('bound_at').notNull(),
  unboundAt: big('unbound_at'),
});

export const groupTickets = pgTable(
  'group_tickets',
  {
    ticketId: integer('ticket_id')
      .primaryKey()
      .references(() => tickets.id),
    chatId: big('chat_id').notNull(),
    messageId: integer('message_id').notNull(),
  },
  (t) => [index('group_tickets_chat').on(t.chatId)],
);

export const telegramBudget = pgTable('telegram_budget', {
  scope: text('scope').primaryKey(),
  nextAt: big('next_at').notNull().default(0),
  holdEndsAt: big('hold_ends_at').notNull().default(0),
});
