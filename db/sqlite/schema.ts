// The store of tgdesk. Every instant is UTC milliseconds in an INTEGER column: cheap to compare, index and
// subtract, and free of the time-zone guessing that ISO strings invite. Business-time figures are minutes.
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { CalendarSpec, DayHours, Weekday } from '../../core/calendar/business-calendar.ts';
import type { Channel, Impact, Language, Line, Priority, Role, Status, Urgency } from '../../core/model.ts';
import type { PriorityMatrix, SlaTargets } from '../../core/sla-policy.ts';

const createdAt = () => integer('created_at').notNull();

/** Working hours of a support contract: a time zone, the hours of each weekday, and dated exceptions. */
export const businessCalendars = sqliteTable('business_calendars', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  timeZone: text('time_zone').notNull(),
  week: text('week', { mode: 'json' }).$type<CalendarSpec['week']>().notNull(),
});

/** Holidays (no hours) and special days (shortened pre-holiday days, working Saturdays) of a calendar. */
export const calendarExceptions = sqliteTable(
  'calendar_exceptions',
  {
    calendarId: integer('calendar_id')
      .notNull()
      .references(() => businessCalendars.id, { onDelete: 'cascade' }),
    date: text('date').notNull(), // local YYYY-MM-DD
    name: text('name'),
    hours: text('hours', { mode: 'json' }).$type<DayHours>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.calendarId, t.date] })],
);

export const companies = sqliteTable(
  'companies',
  {
    id: integer('id').primaryKey(),
    name: text('name').notNull(),
    /** The company's INN (or another registration number): how a directory import recognises it. */
    inn: text('inn'),
    /** Mail domain used to recognise senders of e-mail requests, e.g. "romashka.ru". */
    emailDomain: text('email_domain'),
    phone: text('phone'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('companies_inn').on(t.inn)],
);

/**
 * A service contract: which SLA policy a company's tickets run on. The active one is the latest that has
 * started and not ended. A contract without a company covers requests from people not yet matched to one.
 */
export const contracts = sqliteTable(
  'contracts',
  {
    id: integer('id').primaryKey(),
    companyId: integer('company_id').references(() => companies.id),
    name: text('name').notNull(),
    startsAt: integer('starts_at').notNull(),
    endsAt: integer('ends_at'),
    /** Null means the SLA clock runs 24/7. */
    calendarId: integer('calendar_id').references(() => businessCalendars.id),
    slaTargets: text('sla_targets', { mode: 'json' }).$type<SlaTargets>().notNull(),
    priorityMatrix: text('priority_matrix', { mode: 'json' }).$type<PriorityMatrix>().notNull(),
    /** Resolved tickets with no answer from the client are closed after this many business days. */
    autoCloseBusinessDays: integer('auto_close_business_days').notNull().default(3),
  },
  (t) => [index('contracts_company').on(t.companyId, t.startsAt)],
);

export const people = sqliteTable(
  'people',
  {
    id: integer('id').primaryKey(),
    telegramUserId: integer('telegram_user_id'),
    name: text('name').notNull(),
    phone: text('phone'),
    email: text('email'),
    language: text('language').$type<'ru' | 'en'>().notNull().default('ru'),
    /** Set when Telegram says the person blocked the bot; the notifier stops writing to them. */
    unreachableAt: integer('unreachable_at'),
    /** About requests they opened in their company's group: told in private rather than in the group. */
    groupNoticesPrivate: integer('group_notices_private', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('people_telegram').on(t.telegramUserId),
    index('people_phone').on(t.phone),
    index('people_email').on(t.email),
  ],
);

/** A person's role; client roles are bound to a company, staff roles are not. */
export const memberships = sqliteTable(
  'memberships',
  {
    id: integer('id').primaryKey(),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    role: text('role').$type<Role>().notNull(),
    companyId: integer('company_id').references(() => companies.id),
  },
  (t) => [
    // Unique per (person, role, company) with NULL companies equal: an expression index that drizzle-kit
    // cannot express lives in the custom migration 0001_memberships_unique.sql.
    index('memberships_person').on(t.personId),
    index('memberships_role').on(t.role),
  ],
);

export const categories = sqliteTable('categories', {
  id: integer('id').primaryKey(),
  code: text('code').notNull().unique(),
  nameRu: text('name_ru').notNull(),
  nameEn: text('name_en').notNull(),
  sort: integer('sort').notNull().default(0),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
});

/** Condition of the outbox's partial index of undelivered notices; core/outbox.ts repeats it word for word. */
export const OUTBOX_UNDELIVERED = "state in ('pending', 'sending')";

/** Conditions of the report's partial indexes on tickets; core/reports.ts repeats them word for word. */
export const REPORT_FR_TIMED =
  "status <> 'cancelled' and first_response_met is not null and first_response_minutes is not null";
export const REPORT_RES_TIMED =
  "status <> 'cancelled' and resolution_met is not null and resolution_minutes is not null";
export const REPORT_PENDING =
  "status <> 'cancelled' and (first_response_met is null or (resolution_met is null and sla_paused_at is null))";

export const tickets = sqliteTable(
  'tickets',
  {
    id: integer('id').primaryKey(),
    /** The number people say aloud: "#1042". */
    number: integer('number').notNull().unique(),
    channel: text('channel').$type<Channel>().notNull(),
    requesterId: integer('requester_id')
      .notNull()
      .references(() => people.id),
    /** Null while the requester is not matched to a client company (an unverified request). */
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
    /** Bumped on every change, so a button on an outdated card can be told apart from a fresh one. */
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: integer('updated_at').notNull(),

    // SLA bookkeeping. Due times are derived from created_at, the targets and the paused business time,
    // and stored so that sweeps and queues can use an index.
    firstResponseDueAt: integer('first_response_due_at').notNull(),
    firstRespondedAt: integer('first_responded_at'),
    firstResponseMinutes: real('first_response_minutes'),
    firstResponseMet: integer('first_response_met', { mode: 'boolean' }),
    resolutionDueAt: integer('resolution_due_at').notNull(),
    /** Start of the current pause (waiting for the customer, or resolved); null while the clock runs. */
    slaPausedAt: integer('sla_paused_at'),
    /** Business minutes spent paused so far, added to the resolution target. */
    slaPausedMinutes: real('sla_paused_minutes').notNull().default(0),
    resolvedAt: integer('resolved_at'),
    resolutionMinutes: real('resolution_minutes'),
    resolutionMet: integer('resolution_met', { mode: 'boolean' }),
    closedAt: integer('closed_at'),
    resolutionText: text('resolution_text'),

    visitStartsAt: integer('visit_starts_at'),
    visitEndsAt: integer('visit_ends_at'),
    /** The engineer's arrival and departure on site. */
    visitCheckedInAt: integer('visit_checked_in_at'),
    visitCheckedOutAt: integer('visit_checked_out_at'),

    /** SLA alerts already recorded, a bit each (see core/tickets/sla-alerts.ts): the sweep skips what is done. */
    slaAlerts: integer('sla_alerts').notNull().default(0),

    rating: integer('rating'),
    ratingComment: text('rating_comment'),

    /**
     * What the intake that filed it called it (the bot's draft key, the Mini App's Idempotency-Key): the
     * same key again returns this ticket instead of filing a second one. Null for tickets filed without.
     */
    intakeKey: text('intake_key').unique(),
  },
  (t) => [
    index('tickets_company_created').on(t.companyId, t.createdAt),
    // Newest-first lists within a company, and of a requester, without sorting them all.
    index('tickets_company_id').on(t.companyId, t.id),
    index('tickets_requester_id').on(t.requesterId, t.id),
    index('tickets_line_id').on(t.line, t.id),
    index('tickets_created').on(t.createdAt),
    index('tickets_requester').on(t.requesterId, t.createdAt),
    index('tickets_assignee_status').on(t.assigneeId, t.status),
    index('tickets_status_due').on(t.status, t.resolutionDueAt),
    // For period reports (core/reports.ts), partial so that a new ticket adds no entry to them: the minutes
    // behind the percentiles, read from the index alone, and the tickets whose SLA outcome depends on when
    // the report is asked. Each for all companies and for one. The report names them (INDEXED BY).
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

/**
 * Per UTC day (created_at / 86 400 000) and company (0: none), how many tickets were created with each
 * status, priority, channel, category and assignee (`kind` s, p, c, k, a; `value` the status etc. as text,
 * '' for none), and for the assignee rows the SLA outcomes already settled and the ratings. Kept by
 * triggers on tickets (migration 0015), so every change, however made, updates it in its own transaction.
 * core/reports.ts sums it for the whole days of a period; WITHOUT ROWID (in the migration).
 */
export const reportDays = sqliteTable(
  'report_days',
  {
    companyId: integer('company_id').notNull(),
    day: integer('day').notNull(),
    kind: text('kind').notNull(),
    value: text('value').notNull(),
    tickets: integer('tickets').notNull().default(0),
    ratingSum: integer('rating_sum').notNull().default(0),
    ratingCount: integer('rating_count').notNull().default(0),
    /** Not cancelled, first_response_met set. */
    frAnswered: integer('fr_answered').notNull().default(0),
    frMet: integer('fr_met').notNull().default(0),
    /** Not cancelled, resolution_met set. */
    resolved: integer('resolved').notNull().default(0),
    resMet: integer('res_met').notNull().default(0),
    /** Resolved with resolution_minutes: the values behind the assignee's percentiles. */
    resTimed: integer('res_timed').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.day, t.kind, t.value] })],
);

/** Append-only history of a ticket: what the timeline, reports and audits read. */
export const ticketEvents = sqliteTable(
  'ticket_events',
  {
    id: integer('id').primaryKey(),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    at: integer('at').notNull(),
    /** Null for the system (scheduler, intake). */
    actorId: integer('actor_id').references(() => people.id),
    type: text('type').notNull(),
    fromStatus: text('from_status').$type<Status>(),
    toStatus: text('to_status').$type<Status>(),
    /** Internal events (an internal note, a reassignment between engineers) never reach clients. */
    internal: integer('internal', { mode: 'boolean' }).notNull().default(false),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [index('ticket_events_ticket').on(t.ticketId, t.id)],
);

export const comments = sqliteTable(
  'comments',
  {
    id: integer('id').primaryKey(),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    authorId: integer('author_id').references(() => people.id),
    body: text('body').notNull(),
    internal: integer('internal', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index('comments_ticket').on(t.ticketId, t.id)],
);

export const attachments = sqliteTable(
  'attachments',
  {
    id: integer('id').primaryKey(),
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
    /** Path under the attachment store, for files that came by e-mail or the web form. */
    storagePath: text('storage_path'),
    internal: integer('internal', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index('attachments_ticket').on(t.ticketId)],
);

/** A person's Telegram chat, their e-mail, or the staff group's topic for the ticket. */
export type OutboxChannel = 'telegram' | 'email' | 'staff_group';

/** Messages to send, written in the same transaction as the change that causes them; a notifier drains it. */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey(),
    createdAt: createdAt(),
    ticketId: integer('ticket_id').references(() => tickets.id),
    eventId: integer('event_id').references(() => ticketEvents.id),
    /** Null for the staff group, which is a chat and not a person. */
    recipientId: integer('recipient_id').references(() => people.id),
    channel: text('channel').$type<OutboxChannel>().notNull(),
    /** What to say, e.g. "ticket.created"; the notifier renders it in the recipient's language. */
    kind: text('kind').notNull(),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    state: text('state').$type<'pending' | 'sending' | 'sent' | 'dead'>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lastError: text('last_error'),
    sentAt: integer('sent_at'),
    /**
     * While 'sending', on PostgreSQL: the claiming instance's name, whose session lock lives as long as that
     * instance (core/outbox.ts, StaleClaimsWatch); unused on SQLite, where one process claims.
     */
    claimedBy: text('claimed_by'),
  },
  (t) => [
    index('outbox_due').on(t.state, t.nextAttemptAt),
    index('outbox_recipient').on(t.recipientId, t.state),
    // The undelivered notices by recipient: the notifier finds each recipient's oldest along it, however
    // many wait (core/outbox.ts repeats the condition word for word, as SQLite needs to use it).
    index('outbox_undelivered').on(t.recipientId, t.id).where(sql.raw(OUTBOX_UNDELIVERED)),
  ],
);

/** Key-value storage for grammY conversations, so a guided intake survives a restart. */
export const conversationState = sqliteTable('conversation_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * A guided intake under way in a private chat (bot/intake/): its step, the questions whose buttons answer
 * it, and what is filled in so far (JSON). Written after every update of the chat, deleted when it ends.
 */
export const intakeDrafts = sqliteTable('intake_drafts', {
  chatId: integer('chat_id').primaryKey(),
  /** The Telegram user whose intake it is. */
  ownerId: integer('owner_id').notNull(),
  /** The key the filed ticket remembers (tickets.intake_key): Send repeated after a crash files nothing twice. */
  intakeKey: text('intake_key').notNull(),
  step: text('step').notNull(),
  draft: text('draft').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * Telegram updates the bot has handled, by update id: one delivered again (a webhook post retried, polling
 * resumed after a crash) is not handled twice. Kept two days; Telegram redelivers within one, and picks ids
 * afresh only after a week without updates.
 */
export const handledUpdates = sqliteTable(
  'handled_updates',
  {
    updateId: integer('update_id').primaryKey(),
    handledAt: integer('handled_at').notNull(),
  },
  (t) => [index('handled_updates_at').on(t.handledAt)],
);

/**
 * Telegram's sending limits shared by every instance on one store (PostgreSQL; a SQLite desk is one process and
 * keeps them in memory, bot/rate-limiter.ts). One row per scope — 'global', 'chat:<id>', 'group:<id>' — with
 * the earliest instant the next message in it may go, and until when Telegram asked everyone to hold back
 * (its 429's retry_after). See db/pg/telegram-budget.ts.
 */
export const telegramBudget = sqliteTable('telegram_budget', {
  scope: text('scope').primaryKey(),
  nextAt: integer('next_at').notNull().default(0),
  holdEndsAt: integer('hold_ends_at').notNull().default(0),
});

export type TicketRow = typeof tickets.$inferSelect;
export type ContractRow = typeof contracts.$inferSelect;
export type PersonRow = typeof people.$inferSelect;
export type TicketEventRow = typeof ticketEvents.$inferSelect;
export type CommentRow = typeof comments.$inferSelect;
export type AttachmentRow = typeof attachments.$inferSelect;
export type OutboxRow = typeof outbox.$inferSelect;
export type { Weekday };

/** Invite links (t.me/<bot>?start=<code>) that bind whoever opens them to a company and a role. */
export const invites = sqliteTable(
  'invites',
  {
    id: integer('id').primaryKey(),
    code: text('code').notNull().unique(),
    role: text('role').$type<Role>().notNull(),
    /** The client company for client roles; null for staff roles. */
    companyId: integer('company_id').references(() => companies.id),
    createdBy: integer('created_by').references(() => people.id),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    maxUses: integer('max_uses').notNull().default(1),
    uses: integer('uses').notNull().default(0),
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('invites_company').on(t.companyId)],
);
export type InviteRow = typeof invites.$inferSelect;

/** Which ticket a bot message in a chat is about, so a reply to it becomes a comment on that ticket. */
/**
 * Which ticket a message in some channel is about: a bot message in a Telegram chat (`<chatId>:<messageId>`),
 * a mail we sent or received (its Message-ID). A reply to it lands on that ticket. The latest row for a
 * reference wins: a chat whose ids started again must never send a reply to an older ticket.
 */
export const messageRefs = sqliteTable(
  'message_refs',
  {
    channel: text('channel').$type<MessageRefChannel>().notNull(),
    ref: text('ref').notNull(),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    /** 'in' for a message someone sent us (its reference also keys a repeated delivery), 'out' for ours. */
    direction: text('direction').$type<'in' | 'out'>().notNull().default('out'),
    createdAt: integer('created_at').notNull(),
    /**
     * Set on a question the bot asked staff (force reply): the reply is the resolution, the question to
     * the client, the escalation reason… of this ticket, and only `personId` may give it.
     */
    purpose: text('purpose').$type<PromptPurpose>(),
    personId: integer('person_id').references(() => people.id),
  },
  (t) => [primaryKey({ columns: [t.channel, t.ref] }), index('message_refs_ticket').on(t.ticketId)],
);
export type MessageRefChannel = 'telegram' | 'email' | 'web' | 'phone';
export type MessageRefRow = typeof messageRefs.$inferSelect;
export type PromptPurpose = 'ask' | 'escalate' | 'resolve' | 'note' | 'reply' | 'reopen' | 'check_out';

/** Settings an admin changes at run time, e.g. the staff group's chat id. */
export const deskSettings = sqliteTable('desk_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** The staff group's forum topic of a ticket, with its pinned card. One per ticket. */
export const ticketTopics = sqliteTable('ticket_topics', {
  ticketId: integer('ticket_id')
    .primaryKey()
    .references(() => tickets.id),
  chatId: integer('chat_id').notNull(),
  threadId: integer('thread_id').notNull(),
  cardMessageId: integer('card_message_id'),
  title: text('title').notNull(),
  closed: integer('closed', { mode: 'boolean' }).notNull().default(false),
  createdAt: integer('created_at').notNull(),
});
export type TicketTopicRow = typeof ticketTopics.$inferSelect;

/** Time slots an engineer offers for an on-site visit; the client picks one. */
export const visitSlots = sqliteTable(
  'visit_slots',
  {
    id: integer('id').primaryKey(),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    startsAt: integer('starts_at').notNull(),
    endsAt: integer('ends_at').notNull(),
    /** The field engineer who will come (null: whoever the dispatcher sends). */
    engineerId: integer('engineer_id').references(() => people.id),
    offeredBy: integer('offered_by').references(() => people.id),
    offeredAt: integer('offered_at').notNull(),
    /** offered → picked (by the client) or withdrawn (another slot was picked, or a new offer replaced it). */
    state: text('state').$type<'offered' | 'picked' | 'withdrawn'>().notNull().default('offered'),
  },
  (t) => [index('visit_slots_ticket').on(t.ticketId, t.state)],
);
export type VisitSlotRow = typeof visitSlots.$inferSelect;

/**
 * Ready answers staff send with two taps ("Please restart the router…"), in Russian and, where written,
 * English: a client gets the one in their language.
 */
export const cannedReplies = sqliteTable('canned_replies', {
  id: integer('id').primaryKey(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  /** English; null: English-speaking clients get the Russian text. */
  titleEn: text('title_en'),
  bodyEn: text('body_en'),
  sort: integer('sort').notNull().default(0),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
});
export type CannedReplyRow = typeof cannedReplies.$inferSelect;

/** Where each watched mailbox has read up to: mail after `lastUid` is new (while `uidValidity` holds). */
export const mailboxCursors = sqliteTable('mailbox_cursors', {
  mailbox: text('mailbox').primaryKey(),
  uidValidity: integer('uid_validity').notNull(),
  lastUid: integer('last_uid').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * A mail the intake could not take (unreadable, refused by the rules): its raw bytes kept in the file
 * store, for an admin to look at and take again. One row per mail: its key is the Message-ID (or a hash).
 */
export const mailQuarantine = sqliteTable(
  'mail_quarantine',
  {
    id: integer('id').primaryKey(),
    mailKey: text('mail_key').notNull().unique(),
    mailbox: text('mailbox').notNull(),
    fromAddress: text('from_address'),
    subject: text('subject'),
    reason: text('reason').notNull(),
    /** The raw `.eml` under the file store. */
    storagePath: text('storage_path').notNull(),
    size: integer('size').notNull(),
    state: text('state').$type<'held' | 'taken' | 'dismissed'>().notNull().default('held'),
    ticketId: integer('ticket_id').references(() => tickets.id),
    receivedAt: integer('received_at').notNull(),
    decidedAt: integer('decided_at'),
  },
  (t) => [index('mail_quarantine_state').on(t.state, t.receivedAt)],
);
export type MailQuarantineRow = typeof mailQuarantine.$inferSelect;

/**
 * Phone calls the desk's PBX reported (Zammad's generic CTI: newCall, answer, hangup), one row per the
 * PBX's callId. An incoming call nobody answered waits in the callback queue until staff mark it done.
 */
export const calls = sqliteTable(
  'calls',
  {
    id: integer('id').primaryKey(),
    /** The PBX's own id of the call: every event about it carries it. */
    callId: text('call_id').notNull().unique(),
    direction: text('direction').$type<CallDirection>().notNull(),
    /** E.164 when the number parses, else as the PBX sent it ("anonymous"). */
    fromNumber: text('from_number'),
    toNumber: text('to_number'),
    /** The outside party (the caller of an incoming call), when a person has that number. */
    personId: integer('person_id').references(() => people.id),
    companyId: integer('company_id').references(() => companies.id),
    state: text('state').$type<CallState>().notNull(),
    /** The staff member who answered, when the PBX's user or answering number matches one. */
    answeredById: integer('answered_by_id').references(() => people.id),
    /** The answerer's name as the PBX gave it, when it matches nobody. */
    answeredByName: text('answered_by_name'),
    queue: text('queue'),
    startedAt: integer('started_at').notNull(),
    answeredAt: integer('answered_at'),
    endedAt: integer('ended_at'),
    cause: text('cause'),
    /** The request filed from the call, and the entry it wrote in that ticket's history. */
    ticketId: integer('ticket_id').references(() => tickets.id),
    ticketEventId: integer('ticket_event_id').references(() => ticketEvents.id),
    callbackDueAt: integer('callback_due_at'),
    callbackDoneAt: integer('callback_done_at'),
    callbackDoneBy: integer('callback_done_by').references(() => people.id),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('calls_callback').on(t.callbackDoneAt, t.callbackDueAt),
    index('calls_person').on(t.personId, t.startedAt),
    index('calls_ticket').on(t.ticketId),
  ],
);
export type CallDirection = 'in' | 'out';
export type CallState = 'ringing' | 'answered' | 'missed' | 'ended';
export type CallRow = typeof calls.$inferSelect;

/**
 * Submissions to the desk's public pages (the website form, its confirm and status links), counted against
 * their limits per client address and per form. Kept in the store so a restart forgets nobody's allowance.
 */
export const publicHits = sqliteTable(
  'public_hits',
  {
    id: integer('id').primaryKey(),
    /** What is counted: `<scope>:ip:<address>` or `<scope>:form:<key>`. */
    bucket: text('bucket').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('public_hits_bucket').on(t.bucket, t.at), index('public_hits_at').on(t.at)],
);

/**
 * A client company's Telegram group, bound with /bind: its people's messages there become the company's
 * tickets. A row stays after /unbind (unboundAt set) so a later /bind in the same chat takes it up again.
 */
export const clientGroups = sqliteTable('client_groups', {
  id: integer('id').primaryKey(),
  chatId: integer('chat_id').notNull().unique(),
  companyId: integer('company_id')
    .notNull()
    .references(() => companies.id),
  title: text('title').notNull(),
  /** What the bot writes in the group is in this language. */
  language: text('language').$type<Language>().notNull(),
  boundById: integer('bound_by_id').references(() => people.id),
  boundAt: integer('bound_at').notNull(),
  unboundAt: integer('unbound_at'),
});
export type ClientGroupRow = typeof clientGroups.$inferSelect;

/** A ticket that a client group's message opened: where the group hears about it (a reply to that message). */
export const groupTickets = sqliteTable(
  'group_tickets',
  {
    ticketId: integer('ticket_id')
      .primaryKey()
      .references(() => tickets.id),
    chatId: integer('chat_id').notNull(),
    /** The message that opened it: the bot's words about the ticket answer it. */
    messageId: integer('message_id').notNull(),
  },
  (t) => [index('group_tickets_chat').on(t.chatId)],
);
