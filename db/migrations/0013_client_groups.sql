CREATE TABLE `client_groups` (
	`id` integer PRIMARY KEY NOT NULL,
	`chat_id` integer NOT NULL,
	`company_id` integer NOT NULL,
	`title` text NOT NULL,
	`language` text NOT NULL,
	`bound_by_id` integer,
	`bound_at` integer NOT NULL,
	`unbound_at` integer,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`bound_by_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `client_groups_chat_id_unique` ON `client_groups` (`chat_id`);--> statement-breakpoint
CREATE TABLE `group_tickets` (
	`ticket_id` integer PRIMARY KEY NOT NULL,
	`chat_id` integer NOT NULL,
	`message_id` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `group_tickets_chat` ON `group_tickets` (`chat_id`);