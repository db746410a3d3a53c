// The shapes of the HTTP API (docs/API.md), as the Mini App reads them. The desk's vocabulary (core) and the
// ticket shapes (api/views.ts) are the server's own, imported as types or plain constants: one definition
// for both sides, and nothing of the server is bundled.

import type { Language, Priority, Role, Status } from '../../core/model.ts';

export type { TicketDetail, TicketSummary } from '../../api/views.ts';
export {
  IMPACTS,
  type Impact,
  type Language,
  LINES,
  type Line,
  PRIORITIES,
  type Priority,
  ROLES,
  type Role,
  STATUSES,
  type Status,
  URGENCIES,
  type Urgency,
} from '../../core/model.ts';
export type { ClockReading as SlaClock, ClockState } from '../../core/sla-clock.ts';

import type { TicketDetail } from '../../api/views.ts';

export type Slot = TicketDetail['offeredSlots'][number];

export interface TicketEvent {
  id: number;
  at: number;
  type: string;
  actorId: number | null;
  actorName: string | null;
  fromStatus: Status | null;
  toStatus: Status | null;
  internal: boolean;
  data: Record<string, unknown> | null;
}

export interface Attachment {
  id: number;
  kind: string;
  fileName: string | null;
  mimeType: string | null;
  size: number | null;
  internal: boolean;
  url: string;
}

export interface Comment {
  id: number;
  authorId: number | null;
  authorName: string | null;
  body: string;
  internal: boolean;
  createdAt: number;
  attachments: Attachment[];
}

export interface TicketPage {
  ticket: TicketDetail;
  timeline: TicketEvent[];
  comments: Comment[];
  /** The files of the request itself (those of a comment are in the comment). */
  attachments: Attachment[];
}

export interface Me {
  id: number;
  name: string;
  language: Language;
  roles: { role: Role; companyId: number | null; companyName: string | null }[];
  staff: boolean;
  admin: boolean;
  manages: number[];
}

export interface Category {
  id: number;
  code: string;
  name: string;
}

export interface Compliance {
  decided: number;
  met: number;
  percent: number | null;
}

export interface Distribution {
  count: number;
  median: number | null;
  p90: number | null;
}

export interface Report {
  companyId: number | null;
  from: number;
  to: number;
  asOf: number;
  total: number;
  byStatus: Partial<Record<Status, number>>;
  byPriority: Partial<Record<Priority, number>>;
  byChannel: Partial<Record<string, number>>;
  byCategory: { categoryId: number | null; nameRu: string | null; nameEn: string | null; count: number }[];
  firstResponse: Compliance & { minutes: Distribution };
  resolution: Compliance & { minutes: Distribution };
  rating: { count: number; average: number | null };
  assignees: {
    assigneeId: number;
    name: string;
    tickets: number;
    resolved: number;
    resolution: Compliance;
    resolutionMinutes: Distribution;
    averageRating: number | null;
  }[];
}

export interface ReportSeries {
  days: string[];
  byPriority: Record<Priority, number[]>;
  byCategory: { categoryId: number | null; name: string; counts: number[] }[];
}

export interface ReportPage {
  report: Report;
  series: ReportSeries;
}
