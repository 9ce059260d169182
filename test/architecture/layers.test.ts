/**
 * Layers that only point down: every module of `worker/` and `db/` sits in one layer, and may import only from its
 * own layer or a lower one. The site may import from the worker only its base layer's `worker/core/` and `worker/lib/`.
 * The layers are listed here once; docs/ARCHITECTURE.md ("Layers") must say the same.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** From the bottom up. */
const LAYERS = ['base', 'domain', 'services', 'delivery', 'http'] as const;
type Layer = (typeof LAYERS)[number];

/**
 * Each module's layer: files, or folders (ending in `/`); the longest matching entry wins, so a folder that mixes
 * layers names its exceptions file by file.
 */
const LAYER_OF: Record<string, Layer> = {
  // Base: shared helpers, the vocabulary, and the database's tables and handle.
  'worker/lib/': 'base',
  'worker/core/': 'base',
  'worker/env.ts': 'base',
  'db/': 'base',

  // Pure domain: rules and formats, no database.
  'worker/config/': 'domain',
  'worker/sla/': 'domain',
  'worker/status/': 'domain',
  'worker/status/read-model.ts': 'services',
  'worker/status/condition-inputs.ts': 'services',
  'worker/policy/': 'domain',
  'worker/feeds/': 'domain',
  'worker/embeds/': 'domain',
  'worker/i18n/': 'domain',
  // The page strings, shared by the site and the worker's mail and pages.
  'site/lib/i18n.ts': 'domain',
  'site/i18n/': 'domain',
  'worker/notices/notice.ts': 'domain',
  'worker/notices/plan.ts': 'domain',
  'worker/notices/incident-notice-kind.ts': 'domain',
  'worker/upstream/': 'domain',
  'worker/reports/range.ts': 'domain',
  'worker/maintenances/notice-rule.ts': 'domain',
  'worker/maintenances/recurrence.ts': 'domain',
  'worker/maintenances/ics.ts': 'domain',
  // Public addresses as the site lays them out, shared by the feeds and the publisher.
  'worker/publish/public-url.ts': 'domain',
  'worker/incidents/targets.ts': 'domain',
  'worker/incidents/levels.ts': 'domain',
  'worker/incidents/sla-view.ts': 'domain',
  'worker/mail/templates/': 'domain',
  'worker/mail/address.ts': 'domain',
  // Accounts' rules without the database: passwords, TOTP, secrets, the lock-out, the caller.
  'worker/accounts/lockout.ts': 'domain',
  'worker/accounts/passwords.ts': 'domain',
  'worker/accounts/principal.ts': 'domain',
  'worker/accounts/secrets.ts': 'domain',
  'worker/accounts/totp.ts': 'domain',
  'worker/audit/diff.ts': 'domain',

  // Services: the tables' owners and readers.
  'worker/context.ts': 'services',
  'worker/accounts/': 'services',
  'worker/audit/': 'services',
  'worker/incidents/': 'services',
  'worker/maintenances/': 'services',
  'worker/subscribers/': 'services',
  'worker/sources/': 'services',
  'worker/store/': 'services',
  'worker/coordination/': 'services',
  'worker/notices/': 'services',
  'worker/reports/': 'services',
  'worker/mail/outbox.ts': 'services',
  'worker/mail/outbox-query.ts': 'services',
  'worker/mail/outbox-refs.ts': 'services',
  'worker/mail/batch-store.ts': 'services',
  'worker/mail/webhook-receipts.ts': 'services',
  'worker/mail/pause.ts': 'services',
  'worker/mail/types.ts': 'services',
  'worker/upstream/cache-store.ts': 'services',
  'worker/upstream/unknown-periods.ts': 'services',
  'worker/upstream/record.ts': 'services',
  // The poller's per-source locks and snapshots, which the sources service clears when a source changes.
  'worker/upstream/runtime.ts': 'services',

  // Delivery and jobs: sending, polling, publishing, rendering the site, schedules.
  'worker/mail/': 'delivery',
  'worker/delivery/': 'delivery',
  'worker/notices/job.ts': 'delivery',
  'worker/upstream/fetch.ts': 'delivery',
  'worker/upstream/poll.ts': 'delivery',
  'worker/upstream/run.ts': 'delivery',
  'worker/upstream/scheduler.ts': 'delivery',
  'worker/upstream/detect.ts': 'delivery',
  'worker/publish/': 'delivery',
  'worker/site/': 'delivery',
  // Bodies as HTTP representations (encodings, ETags): the publisher and the site renderer prepare them.
  'worker/http/representation.ts': 'delivery',
  'site/renderer/protocol.ts': 'delivery',
  'worker/jobs/': 'delivery',

  // HTTP: the API, the routes, and the process around them.
  'worker/http/': 'http',
  'worker/routes/': 'http',
  'worker/app.ts': 'http',
  'worker/server.ts': 'http',
  'worker/main.ts': 'http',
  // The site's routes, answering what the fast path did not.
  'worker/site/serve.ts': 'http',
};

/** What the site may import from the worker: the base layer's pure modules (the vocabulary, the API types, helpers). */
const SITE_MAY_IMPORT = ['worker/core/', 'worker/lib/'];

// ── Finding imports ────────────────────────────────────────────────────────────────────────────────────────────

interface Import {
  file: string;
  line: number;
  specifier: string;
  typeOnly: boolean;
}

/** The code of an Astro file (its frontmatter and scripts), other text blanked so lines keep their numbers. */
function astroCode(text: string): string {
  const keep = new Array<boolean>(text.length).fill(false);
  const mark = (start: number, end: number) => keep.fill(true, start, end);
  const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  if (front) mark(front.index + 4, front.index + 4 + front[1]!.length);
  for (const m of text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)) mark(m.index + m[0].indexOf('>') + 1, m.index + m[0].length - '</script>'.length);
  return [...text].map((c, i) => (keep[i] || c === '\n' ? c : ' ')).join('');
}

/** Every static import, `export … from`, dynamic `import()` and `import('…')` type in one source file. */
function findImports(file: string, text: string): Import[] {
  const source = ts.createSourceFile(file, file.endsWith('.astro') ? astroCode(text) : text, ts.ScriptTarget.Latest, true);
  const imports: Import[] = [];
  const found = (node: ts.Node, specifier: string, typeOnly: boolean) =>
    imports.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, specifier, typeOnly });
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      found(node, node.moduleSpecifier.text, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      found(node, node.moduleSpecifier.text, node.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) {
      found(node, node.arguments[0].text, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found(node, node.argument.literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return imports;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|mts|mjs|js|astro)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The file a relative specifier names, from the project's root; undefined for packages. */
function target(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const path = relative(ROOT, resolve(ROOT, dirname(file), specifier));
  for (const candidate of [path, `${path}.ts`, `${path}/index.ts`]) if (existsSync(join(ROOT, candidate)) && !candidate.endsWith('/')) return candidate;
  return path;
}

/** A module's layer: the longest entry of the table that names it or a folder holding it. */
function layerOf(file: string, table: Record<string, Layer> = LAYER_OF): Layer | undefined {
  const entries = Object.keys(table).filter((key) => (key.endsWith('/') ? file.startsWith(key) : file === key));
  const best = entries.sort((a, b) => b.length - a.length)[0];
  return best === undefined ? undefined : table[best];
}

const rank = (layer: Layer) => LAYERS.indexOf(layer);

interface Violation {
  file: string;
  line: number;
  to: string;
  message: string;
}

/** What breaks the rules among the imports of the given files. */
function violations(files: { file: string; text: string }[], table: Record<string, Layer> = LAYER_OF): Violation[] {
  const found: Violation[] = [];
  for (const { file, text } of files) {
    const from = layerOf(file, table);
    const layered = from !== undefined;
    if (!layered && !file.startsWith('site/')) found.push({ file, line: 0, to: '', message: `${file} is in no layer` });
    for (const imp of findImports(file, text)) {
      const to = target(file, imp.specifier);
      if (to === undefined || to === 'package.json') continue;
      const where = `${file}:${imp.line}`;
      if (!layered) {
        // The site (pages, components, scripts): from the worker, only the base layer's pure modules.
        if (!to.startsWith('worker/')) continue;
        if (!SITE_MAY_IMPORT.some((folder) => to.startsWith(folder))) {
          found.push({ file, line: imp.line, to, message: `${where}: the site imports ${imp.typeOnly ? 'types' : 'values'} from ${to}; it may import only from ${SITE_MAY_IMPORT.join(' and ')}` });
        }
        continue;
      }
      if (!to.startsWith('worker/') && !to.startsWith('db/') && !to.startsWith('site/')) continue;
      const toLayer = layerOf(to, table);
      if (toLayer === undefined) found.push({ file, line: imp.line, to, message: `${where}: imports ${to}, which is in no layer` });
      else if (rank(toLayer) > rank(from)) found.push({ file, line: imp.line, to, message: `${where} (${from}) imports ${to} (${toLayer}): an import pointing up` });
    }
  }
  return found;
}

const FILES = ['worker', 'db', 'site']
  .flatMap((dir) => sourceFiles(join(ROOT, dir)))
  .map((path) => ({ file: relative(ROOT, path), text: readFileSync(path, 'utf8') }));

const FOUND = violations(FILES);

// ── The rules ─────────────────────────────────────────────────────────────────────────────────────────────────

describe('finding imports', () => {
  it('sees static, re-exported, dynamic and type imports, and ignores comments and strings', () => {
    const text = `
      import { a } from './a.ts';
      import type { B } from './b.ts';
      export { c } from './c.ts';
      export type * from './d.ts';
      const e = await import('./e.ts');
      type F = typeof import('./f.ts');
      import { type G, type H } from './g.ts';
      import './side-effect.ts';
      // import { x } from './comment.ts';
      const text = "import { y } from './string.ts'";
    `;
    expect(findImports('worker/example.ts', text).map((i) => [i.specifier, i.line, i.typeOnly])).toEqual([
      ['./a.ts', 2, false],
      ['./b.ts', 3, true],
      ['./c.ts', 4, false],
      ['./d.ts', 5, true],
      ['./e.ts', 6, false],
      ['./f.ts', 7, true],
      ['./g.ts', 8, true],
      ['./side-effect.ts', 9, false],
    ]);
  });

  it('reads the frontmatter and scripts of Astro files, keeping their lines', () => {
    const text = `---\nimport A from './A.astro';\nimport { v } from '../../worker/core/vocabulary.ts';\n---\n<p>import { no } from './x.ts'</p>\n<script>\nimport type { T } from '../../worker/core/api-types.ts';\n</script>\n`;
    expect(findImports('site/components/X.astro', text).map((i) => [i.specifier, i.line, i.typeOnly])).toEqual([
      ['./A.astro', 2, false],
      ['../../worker/core/vocabulary.ts', 3, false],
      ['../../worker/core/api-types.ts', 7, true],
    ]);
  });

  it('names the file, the line and both layers of an import pointing up, and files in no layer', () => {
    const table: Record<string, Layer> = { 'worker/low/': 'domain', 'worker/high.ts': 'http' };
    const files = [
      { file: 'worker/low/rule.ts', text: `import { x } from './other.ts';\nimport { serve } from '../high.ts';` },
      { file: 'worker/high.ts', text: `import { rule } from './low/rule.ts';` },
      { file: 'worker/lost.ts', text: '' },
      { file: 'site/pages/a.astro', text: `---\nimport type { T } from '../../worker/low/rule.ts';\nimport { zones } from '../../worker/lib/zones.ts';\n---` },
    ];
    expect(violations(files, table).map((v) => v.message)).toEqual([
      'worker/low/rule.ts:2 (domain) imports worker/high.ts (http): an import pointing up',
      'worker/lost.ts is in no layer',
      'site/pages/a.astro:2: the site imports types from worker/low/rule.ts; it may import only from worker/core/ and worker/lib/',
    ]);
  });
});

describe('layers that only point down', () => {
  it('puts every module of the worker and the database in a layer', () => {
    expect(FOUND.filter((v) => v.to === '').map((v) => v.message)).toEqual([]);
  });

  it('has no import pointing up, and the site imports only the base layer', () => {
    expect(FOUND.filter((v) => v.to !== '').map((v) => v.message)).toEqual([]);
  });

  it('names only modules that exist', () => {
    for (const key of Object.keys(LAYER_OF)) expect(existsSync(join(ROOT, key)), key).toBe(true);
  });

  it('is documented as it is checked', () => {
    const docs = readFileSync(join(ROOT, 'docs', 'ARCHITECTURE.md'), 'utf8');
    const start = docs.indexOf('## Layers');
    expect(start).toBeGreaterThanOrEqual(0);
    const section = docs.slice(start, docs.indexOf('\n## ', start + 1));
    const documented: Record<string, Layer> = {};
    for (const line of section.split('\n').filter((l) => l.startsWith('| '))) {
      const [, layer = '', modules = ''] = line.split('|').map((cell) => cell.trim());
      const name = LAYERS.find((l) => layer.startsWith(`${LAYERS.indexOf(l) + 1}. ${l}`));
      if (!name) continue;
      for (const m of modules.matchAll(/`([^`]+)`/g)) documented[m[1]!] = name;
    }
    expect(documented).toEqual(LAYER_OF);
  });
});
