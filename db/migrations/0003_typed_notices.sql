-- Outbox rows carry a typed notice (worker/notices/notice.ts) with its channel and target, filed by what it is about.
-- Every row is kept, queued or sent:
--   recipient → target, on the `email` channel; template → kind; ref `maintenance:<id>` / `incident:<id>` →
--   maintenance_id / incident_id, and a maintenance notice's window version → maintenance_version;
--   data → notice: its kind written in, the reader's time zone moved out to time_zone, and the pause alert's
--   snake_case fields (paused_at, resume_path) named as the notice names them;
--   a row whose template is no kind of notice keeps that name as its kind and is marked in last_error: the
--   dispatcher reports it (it cannot be rendered) instead of sending it.
CREATE TABLE `__new_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`idempotency_key` text NOT NULL,
	`channel` text NOT NULL,
	`target` text NOT NULL,
	`subscriber_id` text,
	`kind` text NOT NULL,
	`maintenance_id` text,
	`maintenance_version` integer,
	`incident_id` text,
	`locale` text NOT NULL,
	`time_zone` text,
	`notice` text NOT NULL,
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
INSERT INTO `__new_outbox` (
	`id`, `idempotency_key`, `channel`, `target`, `subscriber_id`, `kind`, `maintenance_id`, `maintenance_version`, `incident_id`,
	`locale`, `time_zone`, `notice`, `state`, `attempts`, `next_attempt_at`, `lease_owner`, `lease_expires_at`, `batch_id`, `solo`,
	`provider_id`, `last_error`, `created_at`, `sent_at`
)
SELECT
	`id`, `idempotency_key`, 'email', `recipient`, `subscriber_id`, `template`,
	CASE WHEN `ref` LIKE 'maintenance:%' THEN substr(`ref`, length('maintenance:') + 1) END,
	CASE WHEN `template` LIKE 'maintenance.%' AND json_type(`data`, '$.version') = 'integer' THEN json_extract(`data`, '$.version') END,
	CASE WHEN `ref` LIKE 'incident:%' THEN substr(`ref`, length('incident:') + 1) END,
	`locale`,
	CASE WHEN json_type(`data`, '$.timeZone') = 'text' THEN json_extract(`data`, '$.timeZone') END,
	json_remove(
		json_set(
			CASE WHEN `template` = 'admin.mail_paused' THEN
				json_remove(
					json_set(`data`,
						'$.pausedAt', coalesce(json_extract(`data`, '$.pausedAt'), json_extract(`data`, '$.paused_at')),
						'$.resumePath', coalesce(json_extract(`data`, '$.resumePath'), json_extract(`data`, '$.resume_path'))),
					'$.paused_at', '$.resume_path')
			ELSE `data` END,
			'$.kind', `template`),
		'$.timeZone'),
	`state`, `attempts`, `next_attempt_at`, `lease_owner`, `lease_expires_at`, `batch_id`, `solo`, `provider_id`,
	CASE WHEN `template` IN (
		'maintenance.announcement', 'maintenance.reminder', 'maintenance.rescheduled', 'maintenance.cancelled', 'maintenance.started',
		'maintenance.completed', 'incident.opened', 'incident.updated', 'incident.resolved', 'subscription.confirm', 'admin.late_notice',
		'admin.sla_warning', 'admin.mail_paused'
	) THEN `last_error`
	ELSE coalesce(`last_error` || '; ', '') || 'kept from the outbox before typed notices: "' || `template` || '" is no kind of notice' END,
	`created_at`, `sent_at`
FROM `outbox`;
--> statement-breakpoint
DROP TABLE `outbox`;--> statement-breakpoint
ALTER TABLE `__new_outbox` RENAME TO `outbox`;--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_idempotency_key_unique` ON `outbox` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_maintenance_idx` ON `outbox` (`maintenance_id`,`kind`,`maintenance_version`);--> statement-breakpoint
CREATE INDEX `outbox_incident_idx` ON `outbox` (`incident_id`,`kind`);--> statement-breakpoint
CREATE INDEX `outbox_batch_idx` ON `outbox` (`batch_id`);--> statement-breakpoint
CREATE INDEX `outbox_created_idx` ON `outbox` (`created_at`);--> statement-breakpoint
CREATE INDEX `outbox_solo_due_idx` ON `outbox` (`state`,`next_attempt_at`) WHERE solo = 1;
