CREATE TABLE `component_sources` (
	`component_id` text NOT NULL,
	`source_id` text NOT NULL,
	PRIMARY KEY(`component_id`, `source_id`),
	FOREIGN KEY (`component_id`) REFERENCES `components`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `components` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`group_name` text,
	`position` integer DEFAULT 0 NOT NULL,
	`calendar_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`retired_at` integer
);
--> statement-breakpoint
CREATE TABLE `sources` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`url` text NOT NULL,
	`interval_seconds` integer NOT NULL,
	`settings` text DEFAULT '{}' NOT NULL,
	`sla_counts` integer DEFAULT false NOT NULL,
	`origin` text DEFAULT 'config' NOT NULL,
	`paused` integer DEFAULT false NOT NULL,
	`state` text DEFAULT 'unknown' NOT NULL,
	`state_since` integer,
	`reported_state` text DEFAULT 'unknown' NOT NULL,
	`last_polled_at` integer,
	`last_success_at` integer,
	`last_error_at` integer,
	`last_error` text,
	`consecutive_failures` integer DEFAULT 0 NOT NULL,
	`failing_since` integer,
	`next_poll_at` integer,
	`last_latency_ms` integer,
	`last_warnings` text DEFAULT '[]' NOT NULL,
	`unknown_words` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
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
CREATE TABLE `incident_components` (
	`incident_id` text NOT NULL,
	`component_id` text NOT NULL,
	`status` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`incident_id`, `component_id`),
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`component_id`) REFERENCES `components`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `incident_updates` (
	`id` text PRIMARY KEY NOT NULL,
	`incident_id` text NOT NULL,
	`status` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	`author` text NOT NULL,
	`upstream_id` text,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `incident_updates_incident_idx` ON `incident_updates` (`incident_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `incident_updates_upstream_uq` ON `incident_updates` (`incident_id`,`upstream_id`);--> statement-breakpoint
CREATE TABLE `incidents` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`status` text NOT NULL,
	`severity` integer NOT NULL,
	`started_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`monitoring_at` integer,
	`responded_at` integer,
	`resolved_at` integer,
	`calendar_id` text,
	`response_due_at` integer,
	`resolution_due_at` integer,
	`sla_counts` integer DEFAULT true NOT NULL,
	`source_id` text,
	`upstream_id` text,
	`upstream_url` text,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `incidents_source_upstream_uq` ON `incidents` (`source_id`,`upstream_id`);--> statement-breakpoint
CREATE INDEX `incidents_started_at_idx` ON `incidents` (`started_at`);--> statement-breakpoint
CREATE INDEX `incidents_status_idx` ON `incidents` (`status`);--> statement-breakpoint
CREATE TABLE `severity_changes` (
	`id` text PRIMARY KEY NOT NULL,
	`incident_id` text NOT NULL,
	`from_severity` integer NOT NULL,
	`to_severity` integer NOT NULL,
	`changed_at` integer NOT NULL,
	`changed_by` text NOT NULL,
	`reason` text,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `severity_changes_incident_idx` ON `severity_changes` (`incident_id`,`changed_at`);--> statement-breakpoint
CREATE TABLE `maintenance_components` (
	`maintenance_id` text NOT NULL,
	`component_id` text NOT NULL,
	PRIMARY KEY(`maintenance_id`, `component_id`),
	FOREIGN KEY (`maintenance_id`) REFERENCES `maintenances`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`component_id`) REFERENCES `components`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
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
CREATE TABLE `maintenance_updates` (
	`id` text PRIMARY KEY NOT NULL,
	`maintenance_id` text NOT NULL,
	`status` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`maintenance_id`) REFERENCES `maintenances`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `maintenance_updates_maintenance_idx` ON `maintenance_updates` (`maintenance_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `maintenances` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`message` text DEFAULT '' NOT NULL,
	`status` text NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`started_at` integer,
	`completed_at` integer,
	`cancelled_at` integer,
	`notify` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`created_by` text DEFAULT 'staff' NOT NULL,
	`source_id` text,
	`upstream_id` text,
	`upstream_url` text,
	`version` integer DEFAULT 0 NOT NULL,
	`notice_version` integer DEFAULT 0 NOT NULL,
	`cancel_reason` text,
	`late_notice_at` integer,
	`late_notice_count` integer,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `maintenances_source_upstream_uq` ON `maintenances` (`source_id`,`upstream_id`);--> statement-breakpoint
CREATE INDEX `maintenances_starts_at_idx` ON `maintenances` (`starts_at`);--> statement-breakpoint
CREATE TABLE `subscriber_components` (
	`subscriber_id` text NOT NULL,
	`component_id` text NOT NULL,
	PRIMARY KEY(`subscriber_id`, `component_id`),
	FOREIGN KEY (`subscriber_id`) REFERENCES `subscribers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`component_id`) REFERENCES `components`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `subscribers` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`locale` text DEFAULT 'es' NOT NULL,
	`timezone` text NOT NULL,
	`status` text NOT NULL,
	`incident_notices` integer DEFAULT false NOT NULL,
	`min_severity` integer DEFAULT 2 NOT NULL,
	`consent_source` text,
	`confirmed_at` integer,
	`suppressed_reason` text,
	`suppressed_at` integer,
	`unsubscribed_at` integer,
	`confirm_token_hash` text,
	`confirm_expires_at` integer,
	`confirm_used_at` integer,
	`request_mail_last_at` integer,
	`request_mail_window_start` integer,
	`request_mail_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subscribers_email_unique` ON `subscribers` (`email`);--> statement-breakpoint
CREATE UNIQUE INDEX `subscribers_confirm_token_uq` ON `subscribers` (`confirm_token_hash`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`idempotency_key` text NOT NULL,
	`recipient` text NOT NULL,
	`subscriber_id` text,
	`template` text NOT NULL,
	`ref` text,
	`locale` text NOT NULL,
	`data` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_owner` text,
	`lease_expires_at` integer,
	`batch_id` text,
	`solo` integer DEFAULT false NOT NULL,
	`provider_id` text,
	`last_error` text,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_idempotency_key_unique` ON `outbox` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_ref_idx` ON `outbox` (`ref`,`template`);--> statement-breakpoint
CREATE INDEX `outbox_batch_idx` ON `outbox` (`batch_id`);--> statement-breakpoint
CREATE INDEX `outbox_created_idx` ON `outbox` (`created_at`);--> statement-breakpoint
CREATE INDEX `outbox_solo_due_idx` ON `outbox` (`state`,`next_attempt_at`) WHERE solo = 1;--> statement-breakpoint
CREATE TABLE `outbox_batches` (
	`id` text PRIMARY KEY NOT NULL,
	`idempotency_key` text NOT NULL,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_owner` text,
	`lease_expires_at` integer,
	`member_count` integer NOT NULL,
	`payload` text,
	`last_error` text,
	`provider_response` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_batches_idempotency_key_unique` ON `outbox_batches` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `outbox_batches_due_idx` ON `outbox_batches` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `worker_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
