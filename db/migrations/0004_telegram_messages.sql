CREATE TABLE `telegram_messages` (
	`chat_id` integer NOT NULL,
	`message_id` integer NOT NULL,
	`ticket_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`chat_id`, `message_id`),
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
