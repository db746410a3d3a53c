CREATE INDEX `tickets_company_id` ON `tickets` (`company_id`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_requester_id` ON `tickets` (`requester_id`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_line_id` ON `tickets` (`line`,`id`);