CREATE TABLE `source_http_cache` (
	`source_id` text NOT NULL,
	`endpoint_key` text NOT NULL,
	`etag` text,
	`last_modified` text,
	`body` text NOT NULL,
	`body_bytes` integer NOT NULL,
	`stored_at` integer NOT NULL,
	PRIMARY KEY(`source_id`, `endpoint_key`),
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `sources` ADD `reported_state` text DEFAULT 'unknown' NOT NULL;--> statement-breakpoint
ALTER TABLE `sources` ADD `failing_since` integer;--> statement-breakpoint
ALTER TABLE `sources` ADD `last_latency_ms` integer;--> statement-breakpoint
ALTER TABLE `sources` ADD `last_warnings` text DEFAULT '[]' NOT NULL;