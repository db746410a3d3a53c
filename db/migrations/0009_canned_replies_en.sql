ALTER TABLE `canned_replies` ADD `title_en` text;--> statement-breakpoint
ALTER TABLE `canned_replies` ADD `body_en` text;