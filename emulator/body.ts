// Request bodies: JSON, url-encoded forms, multipart uploads, plus the query string (Telegram merges them).
//
// Multipart is parsed here rather than with `Response.formData()`: Node 20's parser rejects the part
// headers grammY writes (`content-disposition:form-data;name="x";filename=photo.jpg`, no spaces and an
// unquoted filename), which real Telegram accepts.
import type { IncomingMessage } from 'node:http';
import { badRequest, Params, type Upload } from './protocol.ts';

export async function readParams(req: IncomingMessage, url: URL): Promise<Params> {
  const values: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const uploads = new Map<string, Upload>();
  const body = await readBody(req);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (body.length === 0) return new Params(values, uploads);

  if (type.startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw badRequest("can't parse JSON object");
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw badRequest('JSON object expected');
    }
    Object.assign(values, parsed);
  } else if (type.startsWith('application/x-www-form-urlencoded')) {
    Object.assign(values, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
  } else if (type.startsWith('multipart/form-data')) {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(req.headers['content-type'] ?? '');
    const mark = boundary?.[1] ?? boundary?.[2];
    if (!mark) throw badRequest('multipart boundary is missing');
    for (const part of parseMultipart(body, mark)) {
      if (part.fileName === undefined) values[part.name] = part.data.toString('utf8');
      else uploads.set(part.name, { fileName: part.fileName, bytes: new Uint8Array(part.data) });
    }
  }
  return new Params(values, uploads);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface Part {
  name: string;
  fileName?: string;
  data: Buffer;
}

export function parseMultipart(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    let start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break; // closing delimiter
    if (body.subarray(start, start + 2).toString() === '\r\n') start += 2;
    const headerEnd = body.indexOf('\r\n\r\n', start);
    if (headerEnd === -1) break;
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headerEnd + 4);
    if (next === -1) break;
    const headers = body.subarray(start, headerEnd).toString('utf8');
    const disposition = /^content-disposition\s*:(.*)$/im.exec(headers)?.[1] ?? '';
    const name = attribute(disposition, 'name');
    if (name !== undefined) {
      const fileName = attribute(disposition, 'filename');
      parts.push({
        name,
        ...(fileName !== undefined ? { fileName } : {}),
        data: body.subarray(headerEnd + 4, next),
      });
    }
    at = next + 2;
  }
  return parts;
}

/** `name="x"` or `name=x` inside a Content-Disposition value; `name` is not matched inside `filename`. */
function attribute(disposition: string, key: string): string | undefined {
  const match = new RegExp(`(?:^|;)\\s*${key}\\s*=\\s*(?:"([^"]*)"|([^;]*))`, 'i').exec(disposition);
  if (!match) return undefined;
  return match[1] ?? match[2]?.trim();
}
