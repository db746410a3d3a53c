// The attachment store: files' bytes on disk under one folder (FILES_DIR), each under its content hash
// (`ab/abcdef…`, SHA-256), so the same file sent twice is kept once and a stored file never changes. A
// Telegram file id is the other source of an attachment's bytes (fetched with getFile when asked for).
//
// Uploads from the Mini App come in two steps: the file is stored and a *pending upload* is written for
// the person who sent it (`pending/<personId>/<id>.json`, with the type found by its bytes); filing the
// request or the comment then names the pending ids, and core links the files in the same transaction as
// the ticket or the comment. A pending upload is only ever usable by its own person, is gone once used,
// and expires after a day.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { InvalidInputError } from '../errors.ts';
import { type DetectedType, extensionFits } from './detect.ts';

/** FILES_DIR when it is not set. */
export const DEFAULT_FILES_DIR = './data/files';
/** The largest file one may upload (the Bot API's getFile limit, too). */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
/** The most files one request or one comment may carry. */
export const MAX_FILES_PER_MESSAGE = 10;
/** The most pending uploads a person may hold at once (a filled-in form's worth, twice). */
export const MAX_PENDING_PER_PERSON = 2 * MAX_FILES_PER_MESSAGE;
/** How long a pending upload waits to be used. */
export const PENDING_TTL_MS = 24 * 3_600_000;

export interface PendingUpload {
  id: string;
  personId: number;
  /** Relative path of the bytes under the store (`ab/<sha256>`). */
  storagePath: string;
  fileName: string;
  mimeType: string;
  kind: DetectedType['kind'];
  size: number;
  createdAt: number;
}

/** An upload id: 32 hex digits, unguessable. */
export const UPLOAD_ID = /^[0-9a-f]{32}$/;

/**
 * A name that is safe to keep and to send back: no folders, no control or bidi characters, no leading
 * dots, at most 200 characters, with the real type's extension when it has none.
 */
export function safeFileName(raw: string, type: Pick<DetectedType, 'extension' | 'mimeType'>): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  let name = base
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim();
  if (name.length > 200) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    name = name.slice(0, 200 - ext.length) + ext;
  }
  const dot = name.lastIndexOf('.');
  if (name === '') name = `file.${type.extension}`;
  // The name says what the bytes are: a text file called "run.exe" is kept as "run.exe.txt".
  else if (dot <= 0 || !extensionFits(type, name.slice(dot + 1))) name = `${name}.${type.extension}`;
  return name;
}

export class FileStore {
  readonly root: string;

  constructor(dir: string = DEFAULT_FILES_DIR) {
    this.root = resolve(dir);
  }

  /** The absolute path of a stored file, or null for a path outside the store. */
  private pathOf(storagePath: string): string | null {
    if (!/^[0-9a-f]{2}\/[0-9a-f]{64}$/.test(storagePath)) return null;
    const full = resolve(this.root, storagePath);
    return full.startsWith(this.root + sep) ? full : null;
  }

  /** Stores the bytes (once per content) and answers their path in the store. */
  async put(bytes: Uint8Array): Promise<string> {
    const hash = createHash('sha256').update(bytes).digest('hex');
    const storagePath = `${hash.slice(0, 2)}/${hash}`;
    const full = this.pathOf(storagePath) as string;
    try {
      if ((await stat(full)).size === bytes.byteLength) return storagePath;
    } catch {
      // not there yet
    }
    await mkdir(join(this.root, hash.slice(0, 2)), { recursive: true });
    // Written aside and renamed: a reader never sees half a file, a crash leaves only a temporary file.
    const temporary = `${full}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, bytes);
    await rename(temporary, full);
    return storagePath;
  }

  /** The bytes of a stored file, or null when it is not there. */
  async read(storagePath: string): Promise<Uint8Array | null> {
    const full = this.pathOf(storagePath);
    if (!full) return null;
    try {
      return new Uint8Array(await readFile(full));
    } catch {
      return null;
    }
  }

  private pendingDir(personId: number): string {
    return join(this.root, 'pending', String(personId));
  }

  /** The person's pending uploads; expired ones are removed on the way. */
  async pendingOf(personId: number, now: number): Promise<PendingUpload[]> {
    const dir = this.pendingDir(personId);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return [];
    }
    const found: PendingUpload[] = [];
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      const upload = await this.readPending(personId, name.slice(0, -5));
      if (!upload) continue;
      if (now - upload.createdAt > PENDING_TTL_MS) await rm(join(dir, name), { force: true });
      else found.push(upload);
    }
    return found;
  }

  private async readPending(personId: number, id: string): Promise<PendingUpload | null> {
    if (!UPLOAD_ID.test(id)) return null;
    try {
      const upload = JSON.parse(await readFile(join(this.pendingDir(personId), `${id}.json`), 'utf8'));
      return upload?.personId === personId && upload.id === id ? (upload as PendingUpload) : null;
    } catch {
      return null;
    }
  }

  /** Records a stored file as the person's pending upload. */
  async addPending(upload: Omit<PendingUpload, 'id'>): Promise<PendingUpload> {
    const pending: PendingUpload = { id: randomBytes(16).toString('hex'), ...upload };
    const dir = this.pendingDir(upload.personId);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${pending.id}.json`), JSON.stringify(pending));
    return pending;
  }

  /**
   * The person's pending uploads by id, in the order given, for linking to what they file; an id that is
   * not theirs, used already or expired is refused (400) with its place in the list.
   */
  async takePending(personId: number, ids: readonly string[], now: number): Promise<PendingUpload[]> {
    if (new Set(ids).size !== ids.length)
      throw new InvalidInputError('the same upload is named twice', [{ path: ['uploads'] }]);
    const found: PendingUpload[] = [];
    for (const [i, id] of ids.entries()) {
      const upload = await this.readPending(personId, id);
      if (!upload || now - upload.createdAt > PENDING_TTL_MS)
        throw new InvalidInputError('no such upload (used already, expired, or not yours)', [
          { path: ['uploads', i] },
        ]);
      found.push(upload);
    }
    return found;
  }

  /** Forgets pending uploads once what names them is committed. */
  async donePending(uploads: readonly PendingUpload[]): Promise<void> {
    for (const u of uploads)
      await unlink(join(this.pendingDir(u.personId), `${u.id}.json`)).catch(() => undefined);
  }
}
