CREATE TABLE `canned_replies` (
	`id` integer PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`sort` integer DEFAULT 0 NOT NULL,
	`active` integer DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE `desk_settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ticket_topics` (
	`ticket_id` integer PRIMARY KEY NOT NULL,
	`chat_id` integer NOT NULL,
	`thread_id` integer NOT NULL,
	`card_message_id` integer,
	`title` text NOT NULL,
	`closed` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `visit_slots` (
	`id` integer PRIMARY KEY NOT NULL,
	`ticket_id` integer NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`engineer_id` integer,
	`offered_by` integer,
	`offered_at` integer NOT NULL,
	`state` text DEFAULT 'offered' NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`engineer_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`offered_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `visit_slots_ticket` ON `visit_slots` (`ticket_id`,`state`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_outbox` (
	`id` integer PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`ticket_id` integer,
	`event_id` integer,
	`recipient_id` integer,
	`channel` text NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`sent_at` integer,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`event_id`) REFERENCES `ticket_events`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recipient_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_outbox`("id", "created_at", "ticket_id", "event_id", "recipient_id", "channel", "kind", "payload", "idempotency_key", "state", "attempts", "next_attempt_at", "last_error", "sent_at") SELECT "id", "created_at", "ticket_id", "event_id", "recipient_id", "channel", "kind", "payload", "idempotency_key", "state", "attempts", "next_attempt_at", "last_error", "sent_at" FROM `outbox`;--> statement-breakpoint
DROP TABLE `outbox`;--> statement-breakpoint
ALTER TABLE `__new_outbox` RENAME TO `outbox`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_idempotency_key_unique` ON `outbox` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_recipient` ON `outbox` (`recipient_id`,`state`);--> statement-breakpoint
ALTER TABLE `telegram_messages` ADD `purpose` text;--> statement-breakpoint
ALTER TABLE `telegram_messages` ADD `person_id` integer REFERENCES people(id);--> statement-breakpoint
ALTER TABLE `tickets` ADD `visit_checked_in_at` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `visit_checked_out_at` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `sla_alerts` integer DEFAULT 0 NOT NULL;