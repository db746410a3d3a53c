CREATE TABLE `calls` (
	`id` integer PRIMARY KEY NOT NULL,
	`call_id` text NOT NULL,
	`direction` text NOT NULL,
	`from_number` text,
	`to_number` text,
	`person_id` integer,
	`company_id` integer,
	`state` text NOT NULL,
	`answered_by_id` integer,
	`answered_by_name` text,
	`queue` text,
	`started_at` integer NOT NULL,
	`answered_at` integer,
	`ended_at` integer,
	`cause` text,
	`ticket_id` integer,
	`ticket_event_id` integer,
	`callback_due_at` integer,
	`callback_done_at` integer,
	`callback_done_by` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`answered_by_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ticket_event_id`) REFERENCES `ticket_events`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`callback_done_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calls_call_id_unique` ON `calls` (`call_id`);--> statement-breakpoint
CREATE INDEX `calls_callback` ON `calls` (`callback_done_at`,`callback_due_at`);--> statement-breakpoint
CREATE INDEX `calls_person` ON `calls` (`person_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `calls_ticket` ON `calls` (`ticket_id`);