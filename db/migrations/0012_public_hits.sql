CREATE TABLE `public_hits` (
	`id` integer PRIMARY KEY NOT NULL,
	`bucket` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `public_hits_bucket` ON `public_hits` (`bucket`,`at`);--> statement-breakpoint
CREATE INDEX `public_hits_at` ON `public_hits` (`at`);