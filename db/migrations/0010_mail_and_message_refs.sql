CREATE TABLE `mail_quarantine` (
	`id` integer PRIMARY KEY NOT NULL,
	`mail_key` text NOT NULL,
	`mailbox` text NOT NULL,
	`from_address` text,
	`subject` text,
	`reason` text NOT NULL,
	`storage_path` text NOT NULL,
	`size` integer NOT NULL,
	`state` text DEFAULT 'held' NOT NULL,
	`ticket_id` integer,
	`received_at` integer NOT NULL,
	`decided_at` integer,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mail_quarantine_mail_key_unique` ON `mail_quarantine` (`mail_key`);--> statement-breakpoint
CREATE INDEX `mail_quarantine_state` ON `mail_quarantine` (`state`,`received_at`);--> statement-breakpoint
CREATE TABLE `mailbox_cursors` (
	`mailbox` text PRIMARY KEY NOT NULL,
	`uid_validity` integer NOT NULL,
	`last_uid` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `message_refs` (
	`channel` text NOT NULL,
	`ref` text NOT NULL,
	`ticket_id` integer NOT NULL,
	`direction` text DEFAULT 'out' NOT NULL,
	`created_at` integer NOT NULL,
	`purpose` text,
	`person_id` integer,
	PRIMARY KEY(`channel`, `ref`),
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `message_refs_ticket` ON `message_refs` (`ticket_id`);--> statement-breakpoint
INSERT INTO `message_refs` (`channel`, `ref`, `ticket_id`, `direction`, `created_at`, `purpose`, `person_id`)
  SELECT 'telegram', `chat_id` || ':' || `message_id`, `ticket_id`, 'out', `created_at`, `purpose`, `person_id` FROM `telegram_messages`;--> statement-breakpoint
DROP TABLE `telegram_messages`;