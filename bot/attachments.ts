// What of a Telegram message is a file we keep with a ticket: photo (the largest size), document, voice,
// video or audio, by its Telegram file id.
import type { Message } from 'grammy/types';

export interface TelegramAttachment {
  kind: 'photo' | 'document' | 'voice' | 'video' | 'audio';
  fileName: string | null;
  mimeType: string | null;
  size: number | null;
  telegramFileId: string;
  telegramFileUniqueId: string;
}

export function attachmentOf(message: Message): TelegramAttachment | null {
  const photo = message.photo?.at(-1);
  if (photo) {
    return {
      kind: 'photo',
      fileName: null,
      mimeType: 'image/jpeg',
      size: photo.file_size ?? null,
      telegramFileId: photo.file_id,
      telegramFileUniqueId: photo.file_unique_id,
    };
  }
  const files = [
    ['document', message.document],
    ['voice', message.voice],
    ['video', message.video],
    ['audio', message.audio],
  ] as const;
  for (const [kind, file] of files) {
    if (!file) continue;
    return {
      kind,
      fileName: 'file_name' in file ? (file.file_name ?? null) : null,
      mimeType: file.mime_type ?? null,
      size: file.file_size ?? null,
      telegramFileId: file.file_id,
      telegramFileUniqueId: file.file_unique_id,
    };
  }
  return null;
}
