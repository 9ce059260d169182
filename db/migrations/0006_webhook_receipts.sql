CREATE TABLE `resend_webhook_receipts` (
	`svix_id` text PRIMARY KEY NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `resend_webhook_receipts_received_idx` ON `resend_webhook_receipts` (`received_at`);--> statement-breakpoint
CREATE INDEX `outbox_kind_created_idx` ON `outbox` (`kind`,`created_at`);