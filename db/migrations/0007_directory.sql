ALTER TABLE `companies` ADD `inn` text;--> statement-breakpoint
CREATE UNIQUE INDEX `companies_inn` ON `companies` (`inn`);