// Stand-in file contents for what people send (a photo, a PDF, a voice note), and Telegram's naming of
// files: file_id prefixes by type, the folder and extension of file_path, the mime type from the name.
import { createHash } from 'node:crypto';

export type FileKind = 'photo' | 'document' | 'voice' | 'sticker';

/** Real file_ids start with a type tag; keeping it makes logs and fixtures look like production. */
export const FILE_ID_PREFIX: Record<FileKind, string> = {
  photo: 'AgACAgIAAxkBAAI',
  document: 'BQACAgIAAxkBAAI',
  voice: 'AwACAgIAAxkBAAI',
  sticker: 'CAACAgIAAxkBAAI',
};

export const FILE_FOLDER: Record<FileKind, string> = {
  photo: 'photos',
  document: 'documents',
  voice: 'voice',
  sticker: 'stickers',
};

/** Telegram's name of each kind in "can't use file of type X as Y". */
export const FILE_TYPE_NAME: Record<FileKind, string> = {
  photo: 'Photo',
  document: 'Document',
  voice: 'VoiceNote',
  sticker: 'Sticker',
};

/** The sizes Telegram keeps of a 1280×960 photo, smallest first, as in `Message.photo`. */
export const PHOTO_SIZES = [
  { width: 90, height: 68, bytes: 1_391 },
  { width: 320, height: 240, bytes: 17_804 },
  { width: 1280, height: 960, bytes: 96_312 },
] as const;

export function hashText(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('base64url').slice(0, length);
}

/** Deterministic filler so two files never share bytes (and so file_unique_ids stay meaningful). */
function filler(length: number, seed: string): Uint8Array {
  const bytes = new Uint8Array(length);
  let block = createHash('sha256').update(seed).digest();
  for (let i = 0; i < length; i++) {
    if (i % 32 === 0 && i > 0) block = createHash('sha256').update(block).digest();
    bytes[i] = block[i % 32] ?? 0;
  }
  return bytes;
}

function framed(head: number[], tail: number[], length: number, seed: string): Uint8Array {
  const bytes = filler(Math.max(length, head.length + tail.length), seed);
  bytes.set(head, 0);
  bytes.set(tail, bytes.length - tail.length);
  return bytes;
}

/** JPEG start and end markers around filler: enough for magic-number sniffing. */
export const fakeJpeg = (length: number, seed: string) =>
  framed([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00], [0xff, 0xd9], length, seed);

export const fakeOgg = (length: number, seed: string) =>
  framed([0x4f, 0x67, 0x67, 0x53, 0x00, 0x02], [], length, seed);

export const fakeWebp = (length: number, seed: string) =>
  framed([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50], [], length, seed);

export function fakeDocument(fileName: string, length: number, seed: string): Uint8Array {
  if (fileName.toLowerCase().endsWith('.pdf')) {
    return framed([...Buffer.from('%PDF-1.4\n')], [...Buffer.from('\n%%EOF\n')], length, seed);
  }
  if (/\.(txt|log|csv)$/i.test(fileName)) {
    return new Uint8Array(
      Buffer.from(`${fileName}\n`.repeat(Math.ceil(length / (fileName.length + 1)))).subarray(0, length),
    );
  }
  return filler(length, seed);
}

const MIME_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  log: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  xml: 'application/xml',
  zip: 'application/zip',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export const extensionOf = (fileName: string) => /\.([a-z0-9]{1,8})$/i.exec(fileName)?.[1]?.toLowerCase();

/** Telegram decides a document's mime type from its name, whatever Content-Type the upload carried. */
export function mimeTypeOf(fileName: string): string {
  return MIME_TYPES[extensionOf(fileName) ?? ''] ?? 'application/octet-stream';
}
