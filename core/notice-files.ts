// The files a client sent with a change (attached when filing, or with an answer), as the staff who hear
// of the change get them in their chats: right after the notice, in as few messages as Telegram allows —
// photos and videos as one album (up to 10), documents as another, each voice or audio on its own (and each
// file uploaded in the Mini App, sent from the file store). One
// outbox row per message, so each is sent at most once like any notice.
import { and, asc, eq, isNotNull, isNull, or, sql } from 'drizzle-orm';
import { queryAll } from '../db/access.ts';
import type { Db } from '../db/connection.ts';
import { preparedFor } from '../db/prepared.ts';
import { attachments } from '../db/schema.ts';

export interface NoticeFile {
  id: number;
  kind: 'photo' | 'document' | 'voice' | 'video' | 'audio';
  /** Telegram holds it (it came through the bot): sent by its id. */
  telegramFileId: string | null;
  /** Else it is in the desk's file store (uploaded in the Mini App): sent as an upload. */
  storagePath: string | null;
  fileName: string | null;
}

/** Telegram's limit for one album. */
const ALBUM = 10;

function filesQuery(db: Db, ofComment: boolean) {
  return db
    .select({
      id: attachments.id,
      kind: attachments.kind,
      telegramFileId: attachments.telegramFileId,
      storagePath: attachments.storagePath,
      fileName: attachments.fileName,
    })
    .from(attachments)
    .where(
      and(
        eq(attachments.ticketId, sql.placeholder('ticketId')),
        eq(attachments.internal, false),
        or(isNotNull(attachments.telegramFileId), isNotNull(attachments.storagePath)),
        ofComment ? eq(attachments.commentId, sql.placeholder('commentId')) : isNull(attachments.commentId),
      ),
    )
    .orderBy(asc(attachments.id))
    .prepare();
}

/** Prepared once per connection: every new ticket asks for its files (staff get them with the notice). */
const prepared = new WeakMap<
  object,
  { filed: ReturnType<typeof filesQuery>; ofComment: ReturnType<typeof filesQuery> }
>();

/** The public files of the event: for 'created', those filed with the ticket; for a comment, its own. */
export async function filesOfEvent(
  db: Db,
  ticketId: number,
  eventType: string,
  payload: Record<string, unknown>,
): Promise<NoticeFile[]> {
  const commentId = typeof payload.commentId === 'number' ? payload.commentId : null;
  if (eventType !== 'created' && !(eventType === 'comment' && commentId !== null)) return [];
  const queries = preparedFor(prepared, db, (on) => ({
    filed: filesQuery(on, false),
    ofComment: filesQuery(on, true),
  }));
  return commentId === null
    ? await queryAll(queries.filed, { ticketId })
    : await queryAll(queries.ofComment, { ticketId, commentId });
}

/**
 * The messages the files go in: albums of photos and videos, albums of documents (by Telegram's ids),
 * voice and audio alone, and each file of the store alone (one upload a message).
 */
export function fileMessages(files: readonly NoticeFile[]): NoticeFile[][] {
  const held = files.filter((f) => f.telegramFileId !== null);
  const visual = held.filter((f) => f.kind === 'photo' || f.kind === 'video');
  const documents = held.filter((f) => f.kind === 'document');
  const alone = [
    ...held.filter((f) => f.kind === 'voice' || f.kind === 'audio'),
    ...files.filter((f) => f.telegramFileId === null),
  ].map((f) => [f]);
  const chunks = (list: NoticeFile[]) =>
    Array.from({ length: Math.ceil(list.length / ALBUM) }, (_, i) => list.slice(i * ALBUM, (i + 1) * ALBUM));
  return [...chunks(visual), ...chunks(documents), ...alone];
}
