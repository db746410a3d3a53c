// The client directory for admins: preview an uploaded CSV/XLSX row by row, import it (only the plan the
// admin previewed, by its digest), and export the directory in the same format. The file comes as the
// body itself (any of the types below) or as the `file` field of a multipart form. Files may be bigger
// than the API's 1 MB for JSON: these routes have their own limit, checked after authentication, and
// the admin check comes before the body is read.
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import {
  type DirectoryPreview,
  type DirectoryWrites,
  importDirectory,
  previewDirectory,
} from '../../core/directory/apply.ts';
import { DIRECTORY_MAX_BYTES } from '../../core/directory/columns.ts';
import {
  DIRECTORY_CSV_MIME,
  DIRECTORY_XLSX_MIME,
  directoryCsv,
  directoryXlsx,
} from '../../core/directory/export.ts';
import { DirectoryFileError } from '../../core/directory/parse.ts';
import { assertAdmin } from '../../core/permissions.ts';
import { type Translate, translator } from '../../locales/index.ts';
import type { ApiDeps, ApiEnv } from '../env.ts';
import { ApiError } from '../errors.ts';
import { readQuery } from '../input.ts';
import { localDay } from '../report-files.ts';
import { zoneFor } from '../time-zone.ts';
import { attachmentDisposition } from './attachments.ts';

/** Paths under this prefix skip the API's 1 MB body limit (api/app.ts): they set their own. */
export const DIRECTORY_PATH_PREFIX = '/api/admin/directory/';
/** The file's limit, and room for a multipart form around it. */
const BODY_LIMIT = DIRECTORY_MAX_BYTES + 64 * 1024;

/** Types a file may be sent as, as the body itself. A browser calls a .csv anything from text/csv to Excel. */
const FILE_TYPES =
  /^(text\/(csv|plain|comma-separated-values)|application\/(csv|octet-stream|vnd\.ms-excel|vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet))\s*(;|$)/i;

const importQuerySchema = z.object({
  /** The digest of the preview the admin confirmed. */
  confirm: z.string().regex(/^[0-9a-f]{64}$/, 'not a preview digest'),
});

/** A refused file as JSON: the usual error, plus the reason the Mini App words in the admin's language. */
function fileError(c: Context, e: DirectoryFileError, t: Translate): Response {
  const status: ContentfulStatusCode = e.reason === 'too_large' ? 413 : 400;
  return c.json(
    {
      error: {
        code: status === 413 ? 'too_large' : 'invalid_input',
        message: e.message,
        reason: e.reason,
        text: t(`directory-file-${e.reason}`, {
          limit: e.figure ?? 0,
          line: e.figure ?? 0,
          megabytes: DIRECTORY_MAX_BYTES / 2 ** 20,
        }),
        ...(e.figure === undefined ? {} : e.reason === 'bad_csv' ? { line: e.figure } : { limit: e.figure }),
      },
    },
    status,
  );
}

async function uploadedFile(c: Context): Promise<Uint8Array> {
  const type = c.req.header('content-type') ?? '';
  if (/^multipart\/form-data\s*;/i.test(type)) {
    let form: FormData;
    try {
      form = await c.req.formData();
    } catch {
      throw new DirectoryFileError('no_file', 'the multipart form does not parse');
    }
    const file = form.get('file');
    if (!(file instanceof File)) throw new DirectoryFileError('no_file', 'the form has no "file" field');
    return new Uint8Array(await file.arrayBuffer());
  }
  if (!FILE_TYPES.test(type)) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      'send the file as the body (text/csv, an XLSX type, application/octet-stream) or as multipart/form-data',
    );
  }
  return new Uint8Array(await c.req.arrayBuffer());
}

/** What the preview answers (the Mini App reads it by this type). */
export type DirectoryPreviewBody = ReturnType<typeof withTexts>;
/** What the import answers: the plan it carried out, and what it wrote. */
export type DirectoryImportBody = DirectoryPreviewBody & { written: DirectoryWrites };

/** Each row's reasons with their text in the admin's language. */
function withTexts(preview: DirectoryPreview, t: Translate) {
  return {
    ...preview,
    rows: preview.rows.map((r) => ({
      ...r,
      reasons: r.reasons.map((reason) => ({
        ...reason,
        text: t(`directory-reason-${reason.code}`, {
          line: reason.line ?? 0,
          company: reason.company ?? '',
          value: reason.value ?? '',
          field: reason.value ? t(`app-directory-field-${reason.value}`) : '',
        }),
      })),
    })),
  };
}

export function directoryRoutes(deps: ApiDeps) {
  const { desk } = deps;
  /** The handler, with a refused file answered as such (anything else goes to the API's error handler). */
  const fileRoute =
    (handle: (c: Context<ApiEnv>, t: Translate) => Promise<Response>) => async (c: Context<ApiEnv>) => {
      assertAdmin(c.var.actor);
      const t = translator(c.var.person.language);
      try {
        return await handle(c, t);
      } catch (e) {
        if (e instanceof DirectoryFileError) return fileError(c, e, t);
        throw e;
      }
    };
  const exportName = async (c: Context<ApiEnv>, type: string) =>
    `directory-${localDay(desk.clock.now(), await zoneFor(desk, c.var.actor, null, undefined))}.${type}`;

  return new Hono<ApiEnv>()
    .use(
      '/admin/directory/*',
      bodyLimit({
        maxSize: BODY_LIMIT,
        onError: (c) =>
          fileError(
            c,
            new DirectoryFileError(
              'too_large',
              `the file is over ${DIRECTORY_MAX_BYTES} bytes`,
              DIRECTORY_MAX_BYTES,
            ),
            translator((c as Context<ApiEnv>).var.person?.language),
          ),
      }),
    )
    .post(
      '/admin/directory/preview',
      fileRoute(async (c, t) =>
        c.json(withTexts(await previewDirectory(desk, c.var.actor, await uploadedFile(c)), t)),
      ),
    )
    .post(
      '/admin/directory/import',
      fileRoute(async (c, t) => {
        const { confirm } = readQuery(c, importQuerySchema);
        const result = await importDirectory(desk, c.var.actor, await uploadedFile(c), confirm);
        return c.json({ ...withTexts(result, t), written: result.written } satisfies DirectoryImportBody);
      }),
    )
    .get('/admin/directory/export.csv', async (c) => {
      const csv = await directoryCsv(desk, c.var.actor, c.var.person.language);
      return c.body(csv, 200, {
        'Content-Type': DIRECTORY_CSV_MIME,
        'Content-Disposition': attachmentDisposition(await exportName(c, 'csv')),
        'Cache-Control': 'private, no-store',
      });
    })
    .get('/admin/directory/export.xlsx', async (c) => {
      const bytes = await directoryXlsx(desk, c.var.actor, c.var.person.language);
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': DIRECTORY_XLSX_MIME,
        'Content-Disposition': attachmentDisposition(await exportName(c, 'xlsx')),
        'Cache-Control': 'private, no-store',
      });
    });
}
