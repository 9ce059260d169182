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
ALTER TABLE `outbox` ADD `batch_id` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `solo` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `outbox_batch_idx` ON `outbox` (`batch_id`);--> statement-breakpoint
CREATE INDEX `outbox_created_idx` ON `outbox` (`created_at`);--> statement-breakpoint
CREATE INDEX `outbox_solo_due_idx` ON `outbox` (`state`,`next_attempt_at`) WHERE solo = 1;