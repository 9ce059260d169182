CREATE TABLE `site_renderings` (
	`id` integer PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`holder` text NOT NULL,
	`rendered_at` integer NOT NULL,
	`paths` text NOT NULL,
	`pages` text NOT NULL
);
