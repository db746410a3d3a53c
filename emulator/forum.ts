// Forum topics and pinned messages. A topic's thread id is the id of its forum_topic_created service
// message, and every change to a topic leaves a service message in it, as in Telegram. The bot needs
// can_manage_topics to create topics and to manage those others created, and can_pin_messages to pin
// in a group; refusals use TDLib's words.
import type { ForumTopic, Message } from 'grammy/types';
import { requireBotRight } from './members.ts';
import type { Call, Handler } from './methods.ts';
import { badRequest } from './protocol.ts';
import type { ChatRecord, Topic } from './state.ts';

const MAX_TOPIC_NAME = 128;
const DEFAULT_ICON_COLOR = 0x6fb9f0;

function forum(call: Call): ChatRecord {
  const record = call.world.chat(call.params.chatId());
  if (record.chat.type !== 'supergroup' || !record.chat.is_forum) throw badRequest('the chat is not a forum');
  return record;
}

function topicOf(call: Call): { record: ChatRecord; topic: Topic } {
  const record = forum(call);
  const topic = record.topics.get(call.params.integer('message_thread_id') ?? 0);
  if (!topic) throw badRequest('message thread not found');
  return { record, topic };
}

/** Topics the bot created are its own to edit, close and delete without administrator rights. */
function requireTopicRight(
  call: Call,
  record: ChatRecord,
  topic: Topic,
  right: 'can_manage_topics' | 'can_delete_messages',
  what: string,
): void {
  if (topic.created.from?.id !== call.world.bot.id) requireBotRight(call.world, record, right, what);
}

const topicName = (name: string | undefined) => [...(name ?? '').trim()].slice(0, MAX_TOPIC_NAME).join('');

function serviceMessage(call: Call, record: ChatRecord, topic: Topic, content: Partial<Message>): Message {
  return call.world.addMessage(record, { from: call.world.bot, content, threadId: topic.threadId });
}

const createForumTopic: Handler = (call): ForumTopic => {
  const { world, params } = call;
  const record = forum(call);
  requireBotRight(world, record, 'can_manage_topics', 'create a topic');
  const name = topicName(params.string('name'));
  if (!name) throw badRequest('name must be non-empty');
  const iconColor = params.integer('icon_color') ?? DEFAULT_ICON_COLOR;
  if (iconColor < 0 || iconColor > 0xffffff) throw badRequest('invalid icon color specified');
  const iconCustomEmojiId = params.string('icon_custom_emoji_id') || undefined;
  const threadId = record.nextMessageId++;
  const created: Message = {
    message_id: threadId,
    message_thread_id: threadId,
    from: world.bot,
    chat: record.chat,
    date: world.now(),
    is_topic_message: true,
    forum_topic_created: {
      name,
      icon_color: iconColor,
      ...(iconCustomEmojiId ? { icon_custom_emoji_id: iconCustomEmojiId } : {}),
    },
  };
  world.store(record, created);
  record.topics.set(threadId, {
    threadId,
    name,
    iconColor,
    ...(iconCustomEmojiId ? { iconCustomEmojiId } : {}),
    closed: false,
    created,
  });
  return {
    message_thread_id: threadId,
    name,
    icon_color: iconColor,
    ...(iconCustomEmojiId ? { icon_custom_emoji_id: iconCustomEmojiId } : {}),
  };
};

const editForumTopic: Handler = (call) => {
  const { record, topic } = topicOf(call);
  requireTopicRight(call, record, topic, 'can_manage_topics', 'edit the topic');
  const editsName = call.params.has('name');
  const name = topicName(call.params.string('name'));
  if (editsName && !name) throw badRequest('name must be non-empty');
  const editsIcon = call.params.string('icon_custom_emoji_id') !== undefined;
  const icon = call.params.string('icon_custom_emoji_id') || undefined;
  if (!editsName && !editsIcon) return true;
  if ((!editsName || name === topic.name) && (!editsIcon || icon === topic.iconCustomEmojiId)) {
    throw badRequest('TOPIC_NOT_MODIFIED');
  }
  if (editsName) topic.name = name;
  if (editsIcon) {
    if (icon) topic.iconCustomEmojiId = icon;
    else delete topic.iconCustomEmojiId;
  }
  serviceMessage(call, record, topic, {
    forum_topic_edited: {
      ...(editsName ? { name } : {}),
      ...(editsIcon ? { icon_custom_emoji_id: icon ?? '' } : {}),
    },
  });
  return true;
};

const closeForumTopic: Handler = (call) => {
  const { record, topic } = topicOf(call);
  requireTopicRight(call, record, topic, 'can_manage_topics', 'close or open the topic');
  if (topic.closed) throw badRequest('TOPIC_NOT_MODIFIED');
  topic.closed = true;
  serviceMessage(call, record, topic, { forum_topic_closed: {} });
  return true;
};

const reopenForumTopic: Handler = (call) => {
  const { record, topic } = topicOf(call);
  requireTopicRight(call, record, topic, 'can_manage_topics', 'close or open the topic');
  if (!topic.closed) throw badRequest('TOPIC_NOT_MODIFIED');
  topic.closed = false;
  serviceMessage(call, record, topic, { forum_topic_reopened: {} });
  return true;
};

const deleteForumTopic: Handler = (call) => {
  const { record, topic } = topicOf(call);
  requireTopicRight(call, record, topic, 'can_delete_messages', 'delete the topic');
  for (const [id, message] of record.messages) {
    if (message.message_thread_id !== topic.threadId) continue;
    record.messages.delete(id);
    record.forceReplies.delete(id);
  }
  record.pinned = record.pinned.filter((id) => record.messages.has(id));
  record.topics.delete(topic.threadId);
  return true;
};

const pinChatMessage: Handler = (call) => {
  const { world, params } = call;
  const record = world.chat(params.chatId());
  requireBotRight(world, record, 'can_pin_messages', 'manage pinned messages in the chat');
  const messageId = params.integer('message_id');
  if (!messageId) throw badRequest('message identifier is not specified');
  const message = record.messages.get(messageId);
  if (!message) throw badRequest('message to pin not found');
  record.pinned = [...record.pinned.filter((id) => id !== messageId), messageId];
  const topic =
    message.message_thread_id === undefined ? undefined : record.topics.get(message.message_thread_id);
  world.addMessage(record, {
    from: world.bot,
    content: { pinned_message: { ...message, reply_to_message: undefined } },
    threadId: topic?.threadId,
  });
  return true;
};

const unpinChatMessage: Handler = (call) => {
  const record = call.world.chat(call.params.chatId());
  requireBotRight(call.world, record, 'can_pin_messages', 'manage pinned messages in the chat');
  const messageId = call.params.integer('message_id');
  if (messageId === undefined) {
    if (record.pinned.length === 0) throw badRequest('message to unpin not found');
    record.pinned.pop();
    return true;
  }
  if (!record.messages.has(messageId)) throw badRequest('message to unpin not found');
  record.pinned = record.pinned.filter((id) => id !== messageId);
  return true;
};

const unpinAllChatMessages: Handler = (call) => {
  const record = call.world.chat(call.params.chatId());
  requireBotRight(call.world, record, 'can_pin_messages', 'manage pinned messages in the chat');
  record.pinned = [];
  return true;
};

export const forumMethods = {
  createForumTopic,
  editForumTopic,
  closeForumTopic,
  reopenForumTopic,
  deleteForumTopic,
  pinChatMessage,
  unpinChatMessage,
  unpinAllChatMessages,
} satisfies Record<string, Handler>;
