CREATE TABLE `maintenance_notices` (
	`id` text PRIMARY KEY NOT NULL,
	`maintenance_id` text NOT NULL,
	`kind` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`offset_ms` integer DEFAULT 0 NOT NULL,
	`due_at` integer NOT NULL,
	`state` text NOT NULL,
	`queued_at` integer,
	`recipients` integer,
	`reason` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`maintenance_id`) REFERENCES `maintenances`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `maintenance_notices_uq` ON `maintenance_notices` (`maintenance_id`,`kind`,`version`,`offset_ms`);--> statement-breakpoint
CREATE INDEX `maintenance_notices_due_idx` ON `maintenance_notices` (`state`,`due_at`);--> statement-breakpoint
ALTER TABLE `maintenances` ADD `version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `maintenances` ADD `notice_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `maintenances` ADD `cancel_reason` text;--> statement-breakpoint
ALTER TABLE `maintenances` ADD `late_notice_at` integer;--> statement-breakpoint
ALTER TABLE `maintenances` ADD `late_notice_count` integer;