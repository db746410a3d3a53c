// What a file really is, by its first bytes (its "magic"), never by the type or the name the sender gave.
// Only the kinds people send a service desk are accepted: images, PDF, office documents, plain text and
// archives. The name's extension only picks between look-alikes (an OLE file is .doc, .xls or .ppt; a
// text file is .txt, .csv or .log) and never makes an unknown file acceptable.

/** Images a browser shows inline; anything else is downloaded. */
export const INLINE_IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

export interface DetectedType {
  mimeType: string;
  /** The extension the file is saved with when its own name has none or a wrong one. */
  extension: string;
  /** 'photo' for images shown inline, else 'document' (the attachment kinds of db/schema.ts). */
  kind: 'photo' | 'document';
}

const starts = (bytes: Uint8Array, magic: readonly number[], offset = 0) =>
  bytes.length >= offset + magic.length && magic.every((b, i) => bytes[offset + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

const image = (mimeType: string, extension: string): DetectedType => ({ mimeType, extension, kind: 'photo' });
const doc = (mimeType: string, extension: string): DetectedType => ({
  mimeType,
  extension,
  kind: 'document',
});

/** True when `needle` occurs in the bytes (an ASCII name inside a ZIP's directory). */
function contains(bytes: Uint8Array, needle: string): boolean {
  const n = ascii(needle);
  const first = n[0];
  outer: for (let i = bytes.indexOf(first as number); i !== -1; i = bytes.indexOf(first as number, i + 1)) {
    if (i + n.length > bytes.length) return false;
    for (let j = 1; j < n.length; j++) if (bytes[i + j] !== n[j]) continue outer;
    return true;
  }
  return false;
}

const OOXML: Record<string, DetectedType> = {
  'word/': doc('application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'docx'),
  'xl/': doc('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'),
  'ppt/': doc('application/vnd.openxmlformats-officedocument.presentationml.presentation', 'pptx'),
};
const ODF: Record<string, DetectedType> = {
  text: doc('application/vnd.oasis.opendocument.text', 'odt'),
  spreadsheet: doc('application/vnd.oasis.opendocument.spreadsheet', 'ods'),
  presentation: doc('application/vnd.oasis.opendocument.presentation', 'odp'),
};
const OLE: Record<string, DetectedType> = {
  doc: doc('application/msword', 'doc'),
  xls: doc('application/vnd.ms-excel', 'xls'),
  ppt: doc('application/vnd.ms-powerpoint', 'ppt'),
};
const TEXT: Record<string, DetectedType> = {
  csv: doc('text/csv', 'csv'),
  log: doc('text/plain', 'log'),
  md: doc('text/markdown', 'md'),
  json: doc('application/json', 'json'),
  xml: doc('application/xml', 'xml'),
};

function zipType(bytes: Uint8Array): DetectedType {
  // An OpenDocument file names its type in a first, uncompressed entry called "mimetype".
  if (contains(bytes.subarray(0, 100), 'mimetypeapplication/vnd.oasis.opendocument.')) {
    for (const [word, type] of Object.entries(ODF))
      if (contains(bytes.subarray(0, 120), `opendocument.${word}`)) return type;
  }
  if (contains(bytes, '[Content_Types].xml')) {
    for (const [folder, type] of Object.entries(OOXML)) if (contains(bytes, folder)) return type;
  }
  return doc('application/zip', 'zip');
}

/** Plain text: UTF-8 without NUL bytes or other control characters (tabs and line breaks allowed). */
function isText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  for (const b of bytes) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) return false;
  return true;
}

/** The file's real type, or null when it is none of the accepted kinds. */
export function detectType(bytes: Uint8Array, fileName = ''): DetectedType | null {
  const ext = extensionOf(fileName);
  if (starts(bytes, [0xff, 0xd8, 0xff])) return image('image/jpeg', 'jpg');
  if (starts(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return image('image/png', 'png');
  if (starts(bytes, ascii('GIF87a')) || starts(bytes, ascii('GIF89a'))) return image('image/gif', 'gif');
  if (starts(bytes, ascii('RIFF')) && starts(bytes, ascii('WEBP'), 8)) return image('image/webp', 'webp');
  // HEIC/HEIF (iPhone photos): kept as files, since most browsers cannot show them.
  if (
    starts(bytes, ascii('ftyp'), 4) &&
    /^(heic|heix|hevc|mif1|msf1)$/.test(String.fromCharCode(...bytes.subarray(8, 12)))
  )
    return doc('image/heic', 'heic');
  if (starts(bytes, ascii('%PDF-'))) return doc('application/pdf', 'pdf');
  if (starts(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))
    return OLE[ext] ?? doc('application/vnd.ms-office', 'doc');
  if (starts(bytes, [0x50, 0x4b, 0x03, 0x04]) || starts(bytes, [0x50, 0x4b, 0x05, 0x06]))
    return zipType(bytes);
  if (starts(bytes, ascii('Rar!\x1a\x07'))) return doc('application/vnd.rar', 'rar');
  if (starts(bytes, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return doc('application/x-7z-compressed', '7z');
  if (starts(bytes, [0x1f, 0x8b])) return doc('application/gzip', 'gz');
  if (starts(bytes, ascii('ustar'), 257)) return doc('application/x-tar', 'tar');
  if (starts(bytes, ascii('{\\rtf'))) return doc('application/rtf', 'rtf');
  if (isText(bytes)) return TEXT[ext] ?? doc('text/plain', 'txt');
  return null;
}

/** Extensions a file of this type may keep; any other is followed by the type's own (`run.exe` → `run.exe.txt`). */
const SAME: Record<string, readonly string[]> = {
  jpg: ['jpg', 'jpeg', 'jfif'],
  heic: ['heic', 'heif'],
  gz: ['gz', 'tgz'],
  doc: ['doc', 'dot', 'xls', 'xlt', 'ppt', 'pps', 'msg'],
  txt: ['txt', 'text', 'log', 'csv', 'tsv', 'md', 'json', 'xml', 'ini', 'cfg', 'conf', 'yaml', 'yml'],
};

export function extensionFits(
  type: Pick<DetectedType, 'extension' | 'mimeType'>,
  extension: string,
): boolean {
  const own =
    type.mimeType.startsWith('text/') || type.mimeType === 'application/json' ? 'txt' : type.extension;
  const accepted = SAME[own] ?? [type.extension];
  return accepted.includes(extension.toLowerCase()) || extension.toLowerCase() === type.extension;
}
