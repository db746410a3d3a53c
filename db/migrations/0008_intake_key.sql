ALTER TABLE `tickets` ADD `intake_key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `tickets_intake_key_unique` ON `tickets` (`intake_key`);