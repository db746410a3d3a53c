// Step 1 of the directory import: the uploaded bytes → rows of cell texts by field. A CSV (`;`, `,` or tab
// separated, as Russian Excel writes `;`; UTF-8 with or without a byte-order mark, UTF-16 with one, else
// windows-1251) or an XLSX (its first sheet). The first non-empty row names the columns; unknown columns
// are ignored and reported. A file the import cannot read is refused as a whole, with a reason code the
// Mini App shows in the admin's language.
import { CsvError, parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { DeskError } from '../errors.ts';
import { DIRECTORY_MAX_BYTES, DIRECTORY_MAX_ROWS, type DirectoryField, fieldOfHeader } from './columns.ts';

export const FILE_REASONS = [
  'too_large',
  'empty',
  'too_many_rows',
  'no_header',
  'unreadable',
  'bad_csv',
  'no_file',
] as const;
export type FileReason = (typeof FILE_REASONS)[number];

/** The whole file is refused (nothing is previewed or written). */
export class DirectoryFileError extends DeskError {
  constructor(
    readonly reason: FileReason,
    message: string,
    /** The limit the file is over, or the line of a CSV that does not parse. */
    readonly figure?: number,
  ) {
    super('invalid_input', message, { reason, ...(figure === undefined ? {} : { figure }) });
  }
}

export type DirectoryFormat = 'csv' | 'xlsx';
export type Cells = Record<DirectoryField, string>;

export interface SheetRow {
  /** The row's number as a spreadsheet shows it (the header is usually 1). */
  line: number;
  cells: Cells;
}

export interface Sheet {
  format: DirectoryFormat;
  /** The fields the header names, in its order. */
  columns: DirectoryField[];
  /** Header cells that name no field (ignored). */
  ignoredColumns: string[];
  /** Data rows with at least one non-empty cell of a known column. */
  rows: SheetRow[];
}

/** An uncompressed workbook bigger than this is refused before it is inflated (a zip bomb). */
const MAX_XLSX_INFLATED = 100 * 1024 * 1024;
const MAX_COLUMNS = 100;

export async function readDirectoryFile(bytes: Uint8Array): Promise<Sheet> {
  checkSize(bytes);
  return isZip(bytes) ? sheetOf('xlsx', await xlsxGrid(bytes)) : readDirectoryCsv(bytes);
}

/** A CSV file alone, synchronously (what readDirectoryFile does with anything that is not a zip). */
export function readDirectoryCsv(bytes: Uint8Array): Sheet {
  checkSize(bytes);
  return sheetOf('csv', csvGrid(bytes));
}

function checkSize(bytes: Uint8Array): void {
  if (bytes.byteLength > DIRECTORY_MAX_BYTES)
    throw new DirectoryFileError(
      'too_large',
      `the file is over ${DIRECTORY_MAX_BYTES} bytes`,
      DIRECTORY_MAX_BYTES,
    );
  if (bytes.byteLength === 0) throw new DirectoryFileError('empty', 'the file is empty');
}

// --- from rows of cells to a sheet ------------------------------------------------------------------

type Grid = { line: number; cells: string[] }[];

function sheetOf(format: DirectoryFormat, grid: Grid): Sheet {
  const headerAt = grid.findIndex((r) => r.cells.some((c) => c.trim() !== ''));
  if (headerAt < 0) throw new DirectoryFileError('empty', 'the file has no rows');
  const header = (grid[headerAt]?.cells ?? []).slice(0, MAX_COLUMNS);
  const columnOf = new Map<DirectoryField, number>();
  const ignoredColumns: string[] = [];
  header.forEach((text, i) => {
    const field = fieldOfHeader(text);
    // The first column of a name wins; a repeated one is ignored like an unknown one.
    if (field && !columnOf.has(field)) columnOf.set(field, i);
    else if (text.trim() !== '') ignoredColumns.push(text.trim().slice(0, 100));
  });
  if (!columnOf.has('company') && !columnOf.has('inn')) {
    throw new DirectoryFileError(
      'no_header',
      'the first row must name the columns: company (or inn), name, phone, email, role',
    );
  }
  const rows: SheetRow[] = [];
  for (const r of grid.slice(headerAt + 1)) {
    const cells = {} as Cells;
    let any = false;
    for (const field of ['company', 'inn', 'emailDomain', 'name', 'phone', 'email', 'role'] as const) {
      const i = columnOf.get(field);
      const text = i === undefined ? '' : (r.cells[i] ?? '');
      cells[field] = text;
      if (text.trim() !== '') any = true;
    }
    if (!any) continue;
    rows.push({ line: r.line, cells });
    if (rows.length > DIRECTORY_MAX_ROWS) {
      throw new DirectoryFileError(
        'too_many_rows',
        `the file has over ${DIRECTORY_MAX_ROWS} rows`,
        DIRECTORY_MAX_ROWS,
      );
    }
  }
  return { format, columns: [...columnOf.keys()], ignoredColumns, rows };
}

// --- CSV --------------------------------------------------------------------------------------------

/** The text of a CSV: a byte-order mark says the encoding; else UTF-8 when it is valid, else windows-1251. */
export function decodeCsv(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    // Excel on a Russian Windows saves "CSV (разделители — запятые)" in windows-1251.
    return new TextDecoder('windows-1251').decode(body);
  }
}

/** The separator of the first non-empty line: the most frequent of ; , and tab outside quotes. */
export function detectSeparator(text: string): string {
  const counts = new Map<string, number>([
    [';', 0],
    [',', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  let seen = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) {
      if (seen) break;
    } else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    if (ch.trim() !== '') seen = true;
  }
  let best = ',';
  let most = 0;
  for (const [sep, n] of counts) {
    if (n > most) {
      best = sep;
      most = n;
    }
  }
  return best;
}

function csvGrid(bytes: Uint8Array): Grid {
  const text = decodeCsv(bytes);
  // Text files have no NULs; this one is some other binary (an old .xls, a picture…).
  if (text.includes('\u0000')) {
    throw new DirectoryFileError('unreadable', 'not a CSV or XLSX file (save the sheet as .xlsx or .csv)');
  }
  let records: string[][];
  try {
    records = parseCsv(text, {
      delimiter: detectSeparator(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
    }) as string[][];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = typeof error.lines === 'number' ? error.lines : undefined;
      throw new DirectoryFileError(
        'bad_csv',
        `the CSV does not parse${line ? ` (line ${line})` : ''}: ${error.code}`,
        line,
      );
    }
    throw error;
  }
  return records.map((cells, i) => ({ line: i + 1, cells }));
}

// --- XLSX -------------------------------------------------------------------------------------------

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * The sum of the uncompressed sizes in a zip's central directory, or null when there is none to read.
 * Read before exceljs inflates the workbook, which it does whole and in memory.
 */
export function zipInflatedSize(bytes: Uint8Array): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const floor = Math.max(0, bytes.byteLength - 22 - 0xffff);
  for (let at = bytes.byteLength - 22; at >= floor; at--) {
    if (view.getUint32(at, true) !== 0x06054b50) continue;
    const entries = view.getUint16(at + 10, true);
    let entry = view.getUint32(at + 16, true);
    let total = 0;
    for (let i = 0; i < entries; i++) {
      if (entry + 46 > bytes.byteLength || view.getUint32(entry, true) !== 0x02014b50) return null;
      const size = view.getUint32(entry + 24, true);
      if (size === 0xffffffff) return Number.POSITIVE_INFINITY; // zip64: far too big for a directory
      total += size;
      entry +=
        46 +
        view.getUint16(entry + 28, true) +
        view.getUint16(entry + 30, true) +
        view.getUint16(entry + 32, true);
    }
    return total;
  }
  return null;
}

async function xlsxGrid(bytes: Uint8Array): Promise<Grid> {
  const inflated = zipInflatedSize(bytes);
  if (inflated === null) throw new DirectoryFileError('unreadable', 'the XLSX file is damaged');
  if (inflated > MAX_XLSX_INFLATED)
    throw new DirectoryFileError('too_large', 'the workbook is too big once unpacked', DIRECTORY_MAX_BYTES);
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  } catch {
    throw new DirectoryFileError('unreadable', 'the XLSX file cannot be read');
  }
  const sheet = book.worksheets[0];
  if (!sheet) throw new DirectoryFileError('empty', 'the workbook has no sheets');
  const grid: Grid = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    const width = Math.min(row.cellCount, MAX_COLUMNS);
    for (let col = 1; col <= width; col++) cells.push(cellText(row.getCell(col).value));
    grid.push({ line, cells });
  });
  return grid;
}

/** What a cell shows, as text: rich text joined, a link's text, a formula's result. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('hyperlink' in value) {
    const text = value.text as unknown;
    return typeof text === 'string' ? text : cellText(text as ExcelJS.CellValue);
  }
  if ('result' in value) return cellText(value.result ?? null);
  return '';
}
