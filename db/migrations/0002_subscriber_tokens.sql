ALTER TABLE `subscribers` ADD `suppressed_at` integer;--> statement-breakpoint
ALTER TABLE `subscribers` ADD `unsubscribed_at` integer;--> statement-breakpoint
ALTER TABLE `subscribers` ADD `confirm_token_hash` text;--> statement-breakpoint
ALTER TABLE `subscribers` ADD `confirm_expires_at` integer;--> statement-breakpoint
ALTER TABLE `subscribers` ADD `confirm_used_at` integer;--> statement-breakpoint
ALTER TABLE `subscribers` ADD `request_mail_last_at` integer;--> statement-breakpoint
ALTER TABLE `subscribers` ADD `request_mail_window_start` integer;--> statement-breakpoint
ALTER TABLE `subscribers` ADD `request_mail_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `subscribers_confirm_token_uq` ON `subscribers` (`confirm_token_hash`);