// Building export files: the ticket list and period reports, as CSV or XLSX, streamed to the response
// or gathered into bytes for sending through the bot. Who may see what is core's (the filter and the
// report are checked before the first byte).
import { PassThrough, Readable } from 'node:stream';
import type { DeskContext } from '../core/context.ts';
import { type ExportFormat, reportWithTicketsCsvChunks, ticketCsvChunks } from '../core/exports.ts';
import {
  ExportCancelled,
  reportXlsx,
  ticketsXlsx,
  XLSX_MIME,
  type XlsxWriter,
} from '../core/exports-xlsx.ts';
import type { Actor } from '../core/permissions.ts';
import type { Report } from '../core/reports.ts';
import type { TicketFilter } from '../core/tickets/read.ts';

export type FileFormat = 'csv' | 'xlsx';
export const CSV_MIME = 'text/csv; charset=utf-8';

/** A file being made: its type, and its bytes as a web stream. */
export interface ExportFile {
  mimeType: string;
  stream: ReadableStream<Uint8Array>;
}

function csvStream(chunks: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const it = chunks[Symbol.asyncIterator]();
  // Pulled a chunk (a page of rows) at a time, as the client reads.
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await it.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await it.return?.();
    },
  });
}

function xlsxStream(write: XlsxWriter, onError: (error: unknown) => void): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  write(out).catch((error: unknown) => {
    // A reader that went away is not a fault.
    if (error instanceof ExportCancelled) return;
    onError(error);
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}

export function ticketsFile(
  desk: DeskContext,
  actor: Actor,
  filter: TicketFilter,
  format: ExportFormat,
  type: FileFormat,
  onError: (error: unknown) => void,
): ExportFile {
  return type === 'csv'
    ? { mimeType: CSV_MIME, stream: csvStream(ticketCsvChunks(desk, actor, filter, format)) }
    : { mimeType: XLSX_MIME, stream: xlsxStream(ticketsXlsx(desk, actor, filter, format), onError) };
}

/** The report and every ticket of its period the actor may see; `report` was built for this actor. */
export async function reportFile(
  desk: DeskContext,
  actor: Actor,
  report: Report,
  format: ExportFormat,
  type: FileFormat,
  onError: (error: unknown) => void,
): Promise<ExportFile> {
  return type === 'csv'
    ? { mimeType: CSV_MIME, stream: csvStream(await reportWithTicketsCsvChunks(desk, actor, report, format)) }
    : { mimeType: XLSX_MIME, stream: xlsxStream(await reportXlsx(desk, actor, report, format), onError) };
}

/** The whole file in memory (for sending as a document). */
export async function bytesOf(file: ExportFile): Promise<Uint8Array> {
  return new Uint8Array(await new Response(file.stream).arrayBuffer());
}

/** "2026-11-01" of an instant in the zone. */
export function localDay(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short' }).format(at);
}
