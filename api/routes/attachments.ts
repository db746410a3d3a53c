// GET /api/tickets/:id/attachments/:attachmentId: a file of a ticket, from the attachment store (uploaded
// from the Mini App) or fetched from Telegram (sent to the bot). The file is
// looked up among those core lets the person see (internal files only for staff); anything else, or a
// file that cannot be downloaded, is 404.
import { Hono } from 'hono';
import { INLINE_IMAGE_TYPES } from '../../core/files/detect.ts';
import { ticketAttachments } from '../../core/tickets/read.ts';
import type { ApiDeps, ApiEnv } from '../env.ts';
import { ApiError } from '../errors.ts';
import { pathId } from '../input.ts';
import { fileStoreOf } from './uploads.ts';

/** Content-Disposition with a plain ASCII name and the real one in RFC 5987 form. */
export function attachmentDisposition(
  fileName: string,
  kind: 'attachment' | 'inline' = 'attachment',
): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

const EXTENSION: Record<string, string> = {
  photo: 'jpg',
  voice: 'ogg',
  video: 'mp4',
  audio: 'mp3',
  document: 'bin',
};

export function attachmentRoutes(deps: ApiDeps) {
  const { desk } = deps;
  return new Hono<ApiEnv>().get('/tickets/:id/attachments/:attachmentId', async (c) => {
    const ticketId = pathId(c, 'id');
    const attachmentId = pathId(c, 'attachmentId');
    const file = (await ticketAttachments(desk, c.var.actor, ticketId)).find((a) => a.id === attachmentId);
    if (!file) throw new ApiError(404, 'not_found', `attachment ${attachmentId} not found`);
    // A file uploaded to the desk: its bytes are in the store, its type was found from them on upload.
    if (file.storagePath) {
      const bytes = await fileStoreOf(deps).read(file.storagePath);
      if (!bytes) throw new ApiError(404, 'not_found', `attachment ${attachmentId} cannot be downloaded`);
      const type = file.mimeType ?? 'application/octet-stream';
      return c.body(new Uint8Array(bytes), 200, {
        'Content-Type': type.startsWith('text/') ? `${type}; charset=utf-8` : type,
        'Content-Disposition': attachmentDisposition(
          file.fileName ?? `file-${file.id}`,
          INLINE_IMAGE_TYPES.has(type) ? 'inline' : 'attachment',
        ),
        'Content-Length': String(bytes.byteLength),
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Cache-Control': 'private, no-store',
      });
    }
    if (!file.telegramFileId || !deps.downloadFile)
      throw new ApiError(404, 'not_found', `attachment ${attachmentId} cannot be downloaded`);
    let downloaded: Awaited<ReturnType<NonNullable<ApiDeps['downloadFile']>>>;
    try {
      downloaded = await deps.downloadFile(file.telegramFileId);
    } catch {
      throw new ApiError(404, 'not_found', `attachment ${attachmentId} cannot be downloaded`);
    }
    const name =
      file.fileName ?? downloaded.fileName ?? `${file.kind}-${file.id}.${EXTENSION[file.kind] ?? 'bin'}`;
    return c.body(new Uint8Array(downloaded.bytes), 200, {
      'Content-Type':
        file.mimeType ??
        downloaded.mimeType ??
        (file.kind === 'photo' ? 'image/jpeg' : 'application/octet-stream'),
      // Telegram's photos are JPEG: shown inline like uploaded images.
      'Content-Disposition': attachmentDisposition(name, file.kind === 'photo' ? 'inline' : 'attachment'),
      'Content-Length': String(downloaded.bytes.byteLength),
      'X-Content-Type-Options': 'nosniff',
      // A file a client uploaded never runs as a page of ours, whatever its type says.
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': 'private, no-store',
    });
  });
}
