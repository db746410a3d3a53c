CREATE TABLE `attachments` (
	`id` integer PRIMARY KEY NOT NULL,
	`ticket_id` integer NOT NULL,
	`comment_id` integer,
	`uploaded_by` integer,
	`kind` text NOT NULL,
	`file_name` text,
	`mime_type` text,
	`size` integer,
	`telegram_file_id` text,
	`telegram_file_unique_id` text,
	`storage_path` text,
	`internal` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`comment_id`) REFERENCES `comments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`uploaded_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `attachments_ticket` ON `attachments` (`ticket_id`);--> statement-breakpoint
CREATE TABLE `business_calendars` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`time_zone` text NOT NULL,
	`week` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `calendar_exceptions` (
	`calendar_id` integer NOT NULL,
	`date` text NOT NULL,
	`name` text,
	`hours` text NOT NULL,
	PRIMARY KEY(`calendar_id`, `date`),
	FOREIGN KEY (`calendar_id`) REFERENCES `business_calendars`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `categories` (
	`id` integer PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`name_ru` text NOT NULL,
	`name_en` text NOT NULL,
	`sort` integer DEFAULT 0 NOT NULL,
	`active` integer DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `categories_code_unique` ON `categories` (`code`);--> statement-breakpoint
CREATE TABLE `comments` (
	`id` integer PRIMARY KEY NOT NULL,
	`ticket_id` integer NOT NULL,
	`author_id` integer,
	`body` text NOT NULL,
	`internal` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `comments_ticket` ON `comments` (`ticket_id`,`id`);--> statement-breakpoint
CREATE TABLE `companies` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`email_domain` text,
	`phone` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `contracts` (
	`id` integer PRIMARY KEY NOT NULL,
	`company_id` integer,
	`name` text NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer,
	`calendar_id` integer,
	`sla_targets` text NOT NULL,
	`priority_matrix` text NOT NULL,
	`auto_close_business_days` integer DEFAULT 3 NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`calendar_id`) REFERENCES `business_calendars`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `contracts_company` ON `contracts` (`company_id`,`starts_at`);--> statement-breakpoint
CREATE TABLE `conversation_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `memberships` (
	`id` integer PRIMARY KEY NOT NULL,
	`person_id` integer NOT NULL,
	`role` text NOT NULL,
	`company_id` integer,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `memberships_person` ON `memberships` (`person_id`);--> statement-breakpoint
CREATE INDEX `memberships_role` ON `memberships` (`role`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`ticket_id` integer,
	`event_id` integer,
	`recipient_id` integer NOT NULL,
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
CREATE UNIQUE INDEX `outbox_idempotency_key_unique` ON `outbox` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `people` (
	`id` integer PRIMARY KEY NOT NULL,
	`telegram_user_id` integer,
	`name` text NOT NULL,
	`phone` text,
	`email` text,
	`language` text DEFAULT 'ru' NOT NULL,
	`unreachable_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `people_telegram` ON `people` (`telegram_user_id`);--> statement-breakpoint
CREATE INDEX `people_phone` ON `people` (`phone`);--> statement-breakpoint
CREATE INDEX `people_email` ON `people` (`email`);--> statement-breakpoint
CREATE TABLE `ticket_events` (
	`id` integer PRIMARY KEY NOT NULL,
	`ticket_id` integer NOT NULL,
	`at` integer NOT NULL,
	`actor_id` integer,
	`type` text NOT NULL,
	`from_status` text,
	`to_status` text,
	`internal` integer DEFAULT false NOT NULL,
	`data` text,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ticket_events_ticket` ON `ticket_events` (`ticket_id`,`id`);--> statement-breakpoint
CREATE TABLE `tickets` (
	`id` integer PRIMARY KEY NOT NULL,
	`number` integer NOT NULL,
	`channel` text NOT NULL,
	`requester_id` integer NOT NULL,
	`company_id` integer,
	`contract_id` integer,
	`category_id` integer,
	`subject` text NOT NULL,
	`description` text NOT NULL,
	`location` text,
	`impact` text NOT NULL,
	`urgency` text NOT NULL,
	`priority` text NOT NULL,
	`status` text NOT NULL,
	`line` text NOT NULL,
	`assignee_id` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`first_response_due_at` integer NOT NULL,
	`first_responded_at` integer,
	`first_response_minutes` real,
	`first_response_met` integer,
	`resolution_due_at` integer NOT NULL,
	`sla_paused_at` integer,
	`sla_paused_minutes` real DEFAULT 0 NOT NULL,
	`resolved_at` integer,
	`resolution_minutes` real,
	`resolution_met` integer,
	`closed_at` integer,
	`resolution_text` text,
	`visit_starts_at` integer,
	`visit_ends_at` integer,
	`rating` integer,
	`rating_comment` text,
	FOREIGN KEY (`requester_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`contract_id`) REFERENCES `contracts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`category_id`) REFERENCES `categories`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assignee_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tickets_number_unique` ON `tickets` (`number`);--> statement-breakpoint
CREATE INDEX `tickets_company_created` ON `tickets` (`company_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `tickets_created` ON `tickets` (`created_at`);--> statement-breakpoint
CREATE INDEX `tickets_requester` ON `tickets` (`requester_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `tickets_assignee_status` ON `tickets` (`assignee_id`,`status`);--> statement-breakpoint
CREATE INDEX `tickets_status_due` ON `tickets` (`status`,`resolution_due_at`);