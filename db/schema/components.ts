import { sqliteTable, text, integer, primaryKey } from 'drizzle-orm/sqlite-core';
import { instant } from './_columns.ts';
import { sources } from './sources.ts';

/** A service the provider offers (web hosting, corporate e-mail, telephony…), as declared in the config. */
export const components = sqliteTable('components', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description'),
  groupName: text('group_name'),
  position: integer('position').notNull().default(0),
  /** Business-hours calendar whose clock counts SLA targets for incidents on this component. */
  calendarId: text('calendar_id'),
  createdAt: instant('created_at').notNull(),
  updatedAt: instant('updated_at').notNull(),
  /** Set when the component leaves the config: hidden from the page, its history kept. */
  retiredAt: instant('retired_at'),
});

/** Which upstream sources feed which component (many-to-many). */
export const componentSources = sqliteTable(
  'component_sources',
  {
    componentId: text('component_id')
      .notNull()
      .references(() => components.id, { onDelete: 'cascade' }),
    sourceId: text('source_id')
      .notNull()
      .references(() => sources.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.componentId, t.sourceId] })],
);
