-- Subscriptions on channels that POST to a URL (signed webhooks, chat incoming webhooks), beside the e-mail subscribers,
-- with their chosen components. Nothing existing changes: e-mail subscribers keep working as they are.
CREATE TABLE `channel_subscription_components` (
	`subscription_id` text NOT NULL,
	`component_id` text NOT NULL,
	PRIMARY KEY(`subscription_id`, `component_id`),
	FOREIGN KEY (`subscription_id`) REFERENCES `channel_subscriptions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`component_id`) REFERENCES `components`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `channel_subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`channel` text NOT NULL,
	`url` text NOT NULL,
	`locale` text NOT NULL,
	`timezone` text NOT NULL,
	`incident_notices` integer DEFAULT false NOT NULL,
	`min_severity` integer DEFAULT 2 NOT NULL,
	`status` text NOT NULL,
	`signing_secret` text,
	`confirm_token_hash` text,
	`confirm_expires_at` integer,
	`confirmed_at` integer,
	`paused_at` integer,
	`failure_count` integer DEFAULT 0 NOT NULL,
	`failing_since` integer,
	`disabled_at` integer,
	`disabled_reason` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `channel_subscriptions_confirm_token_hash_unique` ON `channel_subscriptions` (`confirm_token_hash`);--> statement-breakpoint
CREATE INDEX `channel_subscriptions_status_idx` ON `channel_subscriptions` (`status`,`id`);