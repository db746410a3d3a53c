// Writing CSV that is safe to open in a spreadsheet: every CSV the desk writes (the ticket list, period
// reports, the client directory) goes through here.
//
// Excel runs a cell that starts with = + - @ (or a tab or a carriage return) as a formula. It also splits
// lines on its own list separator — ";" with Russian settings, "," with English ones — whatever the file
// uses, and then a quoted cell may be cut apart: "x;=1+1;end" opened as ";"-separated in a ","-file gives
// the cell "=1+1". So a formula character is neutralised (a "'" put before it) at the start of a cell AND
// right after every separator or line break inside it (past any quotes or spaces), and a cell with a
// separator, a tab, a quote or a line break is quoted.

const FORMULA = new Set(['=', '+', '-', '@', '\t', '\r']);
const SEPARATORS = new Set([';', ',', '\t', '\r', '\n']);
const NEEDS_QUOTES = /[;,"\t\r\n]/;

/**
 * Walks the text knowing whether a spreadsheet could see a cell start here: at the beginning, after a
 * separator or line break, and after quotes or spaces that follow one (a cut-apart cell may start `""=…`,
 * and a reader that trims spaces sees `, =1+1` as `=1+1`).
 */
function rewrite(text: string, atCellStart: (ch: string, next: string | undefined) => string): string {
  let out = '';
  let start = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    out += start ? atCellStart(ch, text[i + 1]) : ch;
    if (SEPARATORS.has(ch)) start = true;
    else if (ch !== '"' && ch !== ' ') start = false;
  }
  return out;
}

/** The text with a "'" before every formula character that starts it or follows a separator or line break. */
export function formulaSafe(text: string): string {
  return rewrite(text, (ch) => (FORMULA.has(ch) ? `'${ch}` : ch));
}

/** Undoes `formulaSafe`, so that a file we exported reads back as it was (the directory import). */
export function formulaUnsafe(text: string): string {
  return rewrite(text, (ch, next) => (ch === "'" && FORMULA.has(next ?? '') ? '' : ch));
}

/** One cell: numbers as they are, text neutralised and quoted when it holds a separator (or a tab), a quote or a line break. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = formulaSafe(String(value));
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Lines of cells, each ended by CRLF (what Excel expects); no byte-order mark. */
export function csvLines(rows: readonly (readonly unknown[])[], separator: ';' | ','): string {
  return rows.map((row) => `${row.map(csvCell).join(separator)}\r\n`).join('');
}
