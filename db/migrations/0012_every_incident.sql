-- Severity levels now go up to 9. A subscription at 4 chose the top of the old 1–4 scale, "every incident":
-- move it to 9 so it keeps meaning every incident under a policy with more than four levels.
UPDATE `subscribers` SET `min_severity` = 9 WHERE `min_severity` = 4;--> statement-breakpoint
UPDATE `channel_subscriptions` SET `min_severity` = 9 WHERE `min_severity` = 4;
