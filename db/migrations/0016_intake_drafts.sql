CREATE TABLE `intake_drafts` (
	`chat_id` integer PRIMARY KEY NOT NULL,
	`owner_id` integer NOT NULL,
	`intake_key` text NOT NULL,
	`step` text NOT NULL,
	`draft` text NOT NULL,
	`updated_at` integer NOT NULL
);
