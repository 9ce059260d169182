CREATE TABLE `maintenance_series` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`message` text DEFAULT '' NOT NULL,
	`rrule` text NOT NULL,
	`first_start` text NOT NULL,
	`time_zone` text NOT NULL,
	`duration_ms` integer NOT NULL,
	`announce_ahead_ms` integer NOT NULL,
	`component_ids` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text DEFAULT 'staff' NOT NULL,
	`stopped_at` integer
);
--> statement-breakpoint
ALTER TABLE `maintenances` ADD `series_id` text REFERENCES maintenance_series(id);--> statement-breakpoint
ALTER TABLE `maintenances` ADD `series_occurrence` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `maintenances_series_occurrence_uq` ON `maintenances` (`series_id`,`series_occurrence`);