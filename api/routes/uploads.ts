// POST /api/uploads: one file from the Mini App (multipart/form-data, field "file"), checked by its size
// and by what its bytes are (core/files/detect.ts), stored by content hash (core/files/store.ts) and kept
// as the person's pending upload. Filing a request or a comment then names the upload ids (`uploads`) and
// core links the files in that same transaction (api/routes/tickets.ts). Refusals carry a `reason` the
// Mini App words in the person's language: too_large, bad_type, no_file, too_many.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { detectType } from '../../core/files/detect.ts';
import {
  FileStore,
  MAX_FILE_BYTES,
  MAX_FILES_PER_MESSAGE,
  MAX_PENDING_PER_PERSON,
  type PendingUpload,
  safeFileName,
  UPLOAD_ID,
} from '../../core/files/store.ts';
import type { NewTicket } from '../../core/tickets/create.ts';
import type { ApiDeps, ApiEnv } from '../env.ts';

/** This path skips the API's 1 MB body limit (api/app.ts): it has its own. */
export const UPLOAD_PATH = '/api/uploads';
/** The file's limit, and room for the multipart form around it. */
const UPLOAD_BODY_LIMIT = MAX_FILE_BYTES + 64 * 1024;

export type UploadRefusal = 'too_large' | 'bad_type' | 'no_file' | 'too_many';

/** `uploads` in a request's or a comment's body: the ids POST /api/uploads answered. */
export const uploadIdsSchema = z
  .array(z.string().regex(UPLOAD_ID, 'not an upload id'))
  .max(MAX_FILES_PER_MESSAGE);

/** The store of the API's deps (FILES_DIR), one per createApi. */
const stores = new WeakMap<ApiDeps, FileStore>();
export function fileStoreOf(deps: ApiDeps): FileStore {
  let store = deps.files ?? stores.get(deps);
  if (!store) {
    store = new FileStore(deps.filesDir);
    stores.set(deps, store);
  }
  return store;
}

function refuse(c: Context, status: ContentfulStatusCode, reason: UploadRefusal, message: string): Response {
  const code =
    status === 413
      ? 'too_large'
      : status === 415
        ? 'unsupported_media_type'
        : status === 429
          ? 'too_many_requests'
          : 'invalid_input';
  return c.json(
    {
      error: {
        code,
        message,
        reason,
        ...(reason === 'too_large' ? { limit: MAX_FILE_BYTES } : {}),
        ...(reason === 'too_many' ? { limit: MAX_PENDING_PER_PERSON } : {}),
      },
    },
    status,
  );
}

/** What an upload looks like to the Mini App. */
export function uploadView(u: PendingUpload) {
  return { id: u.id, fileName: u.fileName, mimeType: u.mimeType, kind: u.kind, size: u.size };
}

/** The attachments core links for these pending uploads. */
export function attachmentsOf(uploads: readonly PendingUpload[]): NonNullable<NewTicket['attachments']> {
  return uploads.map((u) => ({
    kind: u.kind,
    fileName: u.fileName,
    mimeType: u.mimeType,
    size: u.size,
    storagePath: u.storagePath,
  }));
}

export function uploadRoutes(deps: ApiDeps) {
  const store = () => fileStoreOf(deps);
  const limit = bodyLimit({
    maxSize: UPLOAD_BODY_LIMIT,
    onError: (c) => refuse(c, 413, 'too_large', `a file may be at most ${MAX_FILE_BYTES} bytes`),
  });
  return new Hono<ApiEnv>().post('/uploads', limit, async (c) => {
    const personId = c.var.person.id;
    const now = deps.desk.clock.now();
    if (!/^multipart\/form-data\s*;/i.test(c.req.header('content-type') ?? ''))
      return refuse(c, 400, 'no_file', 'send the file as multipart/form-data with a "file" field');
    const pending = await store().pendingOf(personId, now);
    if (pending.length >= MAX_PENDING_PER_PERSON)
      return refuse(c, 429, 'too_many', 'too many files waiting to be sent: send or drop some first');
    let form: FormData;
    try {
      form = await c.req.formData();
    } catch {
      return refuse(c, 400, 'no_file', 'the multipart form does not parse');
    }
    const file = form.get('file');
    if (!(file instanceof File)) return refuse(c, 400, 'no_file', 'the form has no "file" field');
    if (file.size > MAX_FILE_BYTES)
      return refuse(c, 413, 'too_large', `a file may be at most ${MAX_FILE_BYTES} bytes`);
    if (file.size === 0) return refuse(c, 400, 'no_file', 'the file is empty');
    const bytes = new Uint8Array(await file.arrayBuffer());
    // The bytes decide; the browser's type and the name's extension are not trusted.
    const type = detectType(bytes, file.name);
    if (!type)
      return refuse(c, 415, 'bad_type', 'only images, PDF, office documents, text and archives are accepted');
    const storagePath = await store().put(bytes);
    const upload = await store().addPending({
      personId,
      storagePath,
      fileName: safeFileName(file.name, type),
      mimeType: type.mimeType,
      kind: type.kind,
      size: bytes.byteLength,
      createdAt: now,
    });
    return c.json({ upload: uploadView(upload) }, 201);
  });
}
