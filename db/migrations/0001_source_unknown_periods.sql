CREATE TABLE `source_unknown_periods` (
	`id` text PRIMARY KEY NOT NULL,
	`source_id` text NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `source_unknown_periods_source_idx` ON `source_unknown_periods` (`source_id`,`started_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `source_unknown_periods_open_uq` ON `source_unknown_periods` (`source_id`) WHERE "source_unknown_periods"."ended_at" is null;