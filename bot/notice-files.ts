// Files for a notice (core/notice-files.ts) in one Bot API call: one file as itself, several as an album
// with the caption on the first. Telegram's file ids are reused, so nothing is downloaded or uploaded.
import type { Api } from 'grammy';
import type { InputMediaDocument, InputMediaPhoto, InputMediaVideo, Message } from 'grammy/types';
import type { NoticeFile } from '../core/notice-files.ts';

/** The first message sent (a reply to it lands on the ticket, as to any notice). */
export async function sendFiles(
  api: Api,
  chatId: number,
  files: NoticeFile[],
  caption: string,
): Promise<Message> {
  const [first] = files;
  if (!first) return api.sendMessage(chatId, caption);
  if (files.length === 1) {
    const id = first.telegramFileId;
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
    media: f.telegramFileId,
    ...(i === 0 ? { caption } : {}),
  }));
  const sent = await api.sendMediaGroup(chatId, media as InputMediaPhoto[]);
  return sent[0] as Message;
}
