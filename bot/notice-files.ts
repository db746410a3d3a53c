// Files for a notice (core/notice-files.ts) in one Bot API call: one file as itself, several as an album
// with the caption on the first. Telegram's file ids are reused; a file of the desk's own store (uploaded in
// the Mini App) is uploaded, always alone.
import { type Api, InputFile } from 'grammy';
import type { InputMediaDocument, InputMediaPhoto, InputMediaVideo, Message } from 'grammy/types';
import type { FileStore } from '../core/files/store.ts';
import type { NoticeFile } from '../core/notice-files.ts';

/** A file as the Bot API takes it: Telegram's id, or the bytes from the desk's file store. */
async function mediaOf(file: NoticeFile, store: FileStore | undefined): Promise<string | InputFile> {
  if (file.telegramFileId) return file.telegramFileId;
  const bytes = file.storagePath && store ? await store.read(file.storagePath) : null;
  // Missing bytes never appear later: the notifier makes this notice a dead letter at once.
  if (!bytes) throw new Error(`file ${file.id} is not in the file store`);
  return new InputFile(bytes, file.fileName ?? undefined);
}

/** The first message sent (a reply to it lands on the ticket, as to any notice). */
export async function sendFiles(
  api: Api,
  chatId: number,
  files: NoticeFile[],
  caption: string,
  store?: FileStore,
): Promise<Message> {
  const [first] = files;
  if (!first) return api.sendMessage(chatId, caption);
  if (files.length === 1) {
    const id = await mediaOf(first, store);
    switch (first.kind) {
      case 'photo':
        return api.sendPhoto(chatId, id, { caption });
      case 'video':
        return api.sendVideo(chatId, id, { caption });
      case 'voice':
        return api.sendVoice(chatId, id, { caption });
      case 'audio':
        return api.sendAudio(chatId, id, { caption });
      default:
        return api.sendDocument(chatId, id, { caption });
    }
  }
  const media = files.map((f, i): InputMediaPhoto | InputMediaVideo | InputMediaDocument => ({
    type: f.kind === 'photo' ? 'photo' : f.kind === 'video' ? 'video' : 'document',
    media: f.telegramFileId ?? '',
    ...(i === 0 ? { caption } : {}),
  }));
  const sent = await api.sendMediaGroup(chatId, media as InputMediaPhoto[]);
  return sent[0] as Message;
}
