// The files a client sent with a change (attached when filing, or with an answer), as the staff who hear
// of the change get them in their chats: right after the notice, in as few messages as Telegram allows —
// photos and videos as one album (up to 10), documents as another, each voice or audio on its own. One
// outbox row per message, so each is sent at most once like any notice.
import { and, asc, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../db/connection.ts';
import { attachments } from '../db/schema.ts';

export interface NoticeFile {
  id: number;
  kind: 'photo' | 'document' | 'voice' | 'video' | 'audio';
  telegramFileId: string;
  fileName: string | null;
}

/** Telegram's limit for one album. */
const ALBUM = 10;

/**
 * The public files of the event: for 'created', those filed with the ticket; for a comment, its own.
 * Only files Telegram holds (a file id) travel this way; the Mini App shows the rest.
 */
export function filesOfEvent(
  db: Db,
  ticketId: number,
  eventType: string,
  payload: Record<string, unknown>,
): NoticeFile[] {
  const commentId = typeof payload.commentId === 'number' ? payload.commentId : null;
  if (eventType !== 'created' && !(eventType === 'comment' && commentId !== null)) return [];
  return db
    .select({
      id: attachments.id,
      kind: attachments.kind,
      telegramFileId: attachments.telegramFileId,
      fileName: attachments.fileName,
    })
    .from(attachments)
    .where(
      and(
        eq(attachments.ticketId, ticketId),
        eq(attachments.internal, false),
        isNotNull(attachments.telegramFileId),
        commentId === null ? isNull(attachments.commentId) : eq(attachments.commentId, commentId),
      ),
    )
    .orderBy(asc(attachments.id))
    .all()
    .filter((f): f is NoticeFile => f.telegramFileId !== null);
}

/** The messages the files go in: albums of photos and videos, albums of documents, voice and audio alone. */
export function fileMessages(files: readonly NoticeFile[]): NoticeFile[][] {
  const visual = files.filter((f) => f.kind === 'photo' || f.kind === 'video');
  const documents = files.filter((f) => f.kind === 'document');
  const alone = files.filter((f) => f.kind === 'voice' || f.kind === 'audio').map((f) => [f]);
  const chunks = (list: NoticeFile[]) =>
    Array.from({ length: Math.ceil(list.length / ALBUM) }, (_, i) => list.slice(i * ALBUM, (i + 1) * ALBUM));
  return [...chunks(visual), ...chunks(documents), ...alone];
}
