/**
 * One writer per table: every write to a table in `worker/` (drizzle's `insert(table)`, `update(table)`,
 * `delete(table)`, and raw SQL `INSERT INTO`, `UPDATE … SET`, `DELETE FROM`) must sit inside the table's owner.
 * The owners are listed here once; docs/ARCHITECTURE.md ("Tables and their owners") must say the same.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as schema from '../../db/schema/index.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/** Who may write each table: files, or folders (ending in `/`). */
type Ownership = { owners: string[] };

const INCIDENTS: Ownership = { owners: ['worker/incidents/'] };
const MAINTENANCES: Ownership = { owners: ['worker/maintenances/'] };
const SUBSCRIBERS: Ownership = { owners: ['worker/subscribers/store.ts'] };
const SOURCES: Ownership = { owners: ['worker/sources/'] };
const ACCOUNTS: Ownership = { owners: ['worker/accounts/store.ts'] };

const TABLE_OWNERS: Record<string, Ownership> = {
  incidents: INCIDENTS,
  incident_updates: INCIDENTS,
  incident_components: INCIDENTS,
  severity_changes: INCIDENTS,
  maintenances: MAINTENANCES,
  maintenance_components: MAINTENANCES,
  maintenance_updates: MAINTENANCES,
  maintenance_series: { owners: ['worker/maintenances/series.ts'] },
  maintenance_notices: { owners: ['worker/notices/'] },
  subscribers: SUBSCRIBERS,
  subscriber_components: SUBSCRIBERS,
  channel_subscriptions: { owners: ['worker/subscribers/channel-store.ts'] },
  channel_subscription_components: { owners: ['worker/subscribers/channel-store.ts'] },
  outbox: { owners: ['worker/mail/outbox.ts', 'worker/mail/batch-store.ts', 'worker/delivery/http/row-store.ts'] },
  outbox_batches: { owners: ['worker/mail/batch-store.ts'] },
  resend_webhook_receipts: { owners: ['worker/mail/webhook-receipts.ts'] },
  // Key/value facts: each module writes its own keys only.
  worker_state: { owners: ['worker/mail/pause.ts', 'worker/subscribers/links.ts', 'worker/coordination/change-version.ts'] },
  components: { owners: ['worker/store/sync-config.ts'] },
  // The poller's kept bodies: the sources service only asks it to forget a source.
  source_http_cache: { owners: ['worker/upstream/cache-store.ts'] },
  sources: SOURCES,
  component_sources: SOURCES,
  source_unknown_periods: SOURCES,
  admin_accounts: ACCOUNTS,
  admin_sessions: ACCOUNTS,
  admin_tokens: ACCOUNTS,
  admin_password_links: ACCOUNTS,
  admin_sign_in_failures: ACCOUNTS,
  audit_log: { owners: ['worker/audit/store.ts'] },
  leases: { owners: ['worker/coordination/'] },
  site_renderings: { owners: ['worker/coordination/site-rendering.ts'] },
};

// ── Finding writes ─────────────────────────────────────────────────────────────────────────────────────────────

/** The schema's tables: exported name → SQL name. */
const TABLES = new Map(
  Object.entries(schema)
    .filter(([, value]) => is(value, SQLiteTable))
    .map(([name, table]) => [name, getTableConfig(table as SQLiteTable).name]),
);

interface Write {
  file: string;
  table: string;
  line: number;
}

const SQL_NAME = String.raw`(?:⟨table:(\w+)⟩|["\`]?(\w+)["\`]?)`;
const RAW_WRITES = [
  new RegExp(String.raw`\b(?:insert|replace)\s+(?:or\s+\w+\s+)?into\s+${SQL_NAME}`, 'gi'),
  new RegExp(String.raw`\bupdate\s+(?:or\s+\w+\s+)?${SQL_NAME}\s+set\b`, 'gi'),
  new RegExp(String.raw`\bdelete\s+from\s+${SQL_NAME}`, 'gi'),
];

/** Every write to a schema table in one source file, found in its syntax tree (comments never count). */
function findWrites(file: string, text: string): Write[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  // Local names of the schema's tables, and of the schema module imported whole.
  const tableOf = new Map<string, string>();
  const namespaces = new Set<string>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    if (!/(^|\/)db\/schema(\/|$)/.test(statement.moduleSpecifier.text)) continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) namespaces.add(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) {
        const table = TABLES.get((element.propertyName ?? element.name).text);
        if (table) tableOf.set(element.name.text, table);
      }
    }
  }
  const tableIn = (node: ts.Node): string | undefined => {
    if (ts.isIdentifier(node)) return tableOf.get(node.text);
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && namespaces.has(node.expression.text)) return TABLES.get(node.name.text);
    return undefined;
  };

  const writes: Write[] = [];
  const found = (node: ts.Node, table: string) => writes.push({ file, table, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ['insert', 'update', 'delete'].includes(node.expression.name.text)) {
      const table = node.arguments[0] && tableIn(node.arguments[0]);
      if (table) found(node, table);
    }
    let sqlText: string | undefined;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) sqlText = node.text;
    if (ts.isTemplateExpression(node)) {
      sqlText = node.head.text + node.templateSpans.map((span) => `${tableIn(span.expression) ? `⟨table:${tableIn(span.expression)}⟩` : '⟨value⟩'}${span.literal.text}`).join('');
    }
    if (sqlText) {
      for (const pattern of RAW_WRITES) {
        for (const match of sqlText.matchAll(pattern)) {
          const table = match[1] ?? match[2];
          if (table && [...TABLES.values()].includes(table)) found(node, table);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return writes.sort((a, b) => a.line - b.line);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const WRITES = sourceFiles(join(ROOT, 'worker')).flatMap((path) => findWrites(relative(ROOT, path), readFileSync(path, 'utf8')));

const inside = (file: string, owner: string) => (owner.endsWith('/') ? file.startsWith(owner) : file === owner);
const writersOf = (table: string) => [...new Set(WRITES.filter((w) => w.table === table).map((w) => w.file))].sort();

// ── The rules ─────────────────────────────────────────────────────────────────────────────────────────────────

describe('finding writes', () => {
  it('sees drizzle writes, aliased and namespaced imports, and raw SQL, and ignores comments and look-alikes', () => {
    const text = `
      import { outbox, subscribers as people } from '../../db/schema/index.ts';
      import * as schema from '../../db/schema/index.ts';
      await tx.insert(outbox).values(row);
      await tx.update(people).set({ status: 'x' });
      await db.delete(schema.maintenances);
      await tx.run(sql\`update \${schema.sources} set state = 'x'\`);
      await tx.run(sql\`insert or ignore into incident_updates (id) values (1)\`);
      await tx.run('DELETE FROM "worker_state" where key = 1');
      // await tx.delete(outbox) in a comment is no write
      hash.update(outbox.id);
      cache.delete(key);
      await tx.select().from(outbox);
      const text = 'update the page, then delete from memory';
    `;
    expect(findWrites('worker/example.ts', text).map((w) => [w.table, w.line])).toEqual([
      ['outbox', 4],
      ['subscribers', 5],
      ['maintenances', 6],
      ['sources', 7],
      ['incident_updates', 8],
      ['worker_state', 9],
    ]);
  });

  it('finds the writes the worker is known to make', () => {
    expect(writersOf('outbox')).toContain('worker/mail/outbox.ts'); // raw SQL
    expect(writersOf('sources')).toContain('worker/sources/poll-record.ts'); // raw SQL with the table interpolated
    expect(writersOf('incidents')).toContain('worker/incidents/service.ts');
  });
});

describe('one writer per table', () => {
  it('gives every table of the schema an owner', () => {
    expect(Object.keys(TABLE_OWNERS).sort()).toEqual([...TABLES.values()].sort());
  });

  it.each(Object.entries(TABLE_OWNERS))('%s is written only by its owner', (table, { owners }) => {
    const outside = WRITES.filter((w) => w.table === table && !owners.some((owner) => inside(w.file, owner)));
    expect(outside.map((w) => `${w.file}:${w.line}`)).toEqual([]);
    // An owner listed here writes the table (the list says who does, not who might).
    for (const owner of owners) expect(writersOf(table).some((file) => inside(file, owner)), `${owner} writes ${table}`).toBe(true);
  });

  it('is documented as it is checked', () => {
    const docs = readFileSync(join(ROOT, 'docs', 'ARCHITECTURE.md'), 'utf8');
    const section = docs.slice(docs.indexOf('## Tables and their owners'));
    expect(section.length).toBeLessThan(docs.length);
    const rows = section
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => {
        const [tables = '', owners = ''] = line.split(' | ');
        const named = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
        return { tables: named(tables), owners: named(owners).filter((path) => path.startsWith('worker/')).sort() };
      });
    for (const [table, { owners }] of Object.entries(TABLE_OWNERS)) {
      const row = rows.find((r) => r.tables.includes(table));
      expect(row?.owners, `docs/ARCHITECTURE.md on ${table}`).toEqual([...owners].sort());
    }
  });
});
