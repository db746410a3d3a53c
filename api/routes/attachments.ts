// GET /api/tickets/:id/attachments/:attachmentId: a file of a ticket, fetched from Telegram. The file is
// looked up among those core lets the person see (internal files only for staff); anything else, or a
// file that cannot be downloaded, is 404.
import { Hono } from 'hono';
import { ticketAttachments } from '../../core/tickets/read.ts';
import type { ApiDeps, ApiEnv } from '../env.ts';
import { ApiError } from '../errors.ts';
import { pathId } from '../input.ts';

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
    const file = ticketAttachments(desk, c.var.actor, ticketId).find((a) => a.id === attachmentId);
    if (!file) throw new ApiError(404, 'not_found', `attachment ${attachmentId} not found`);
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
      'Content-Type': file.mimeType ?? downloaded.mimeType ?? 'application/octet-stream',
      'Content-Disposition': attachmentDisposition(name),
      'Content-Length': String(downloaded.bytes.byteLength),
      'X-Content-Type-Options': 'nosniff',
      // A file a client uploaded never runs as a page of ours, whatever its type says.
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': 'private, no-store',
    });
  });
}
