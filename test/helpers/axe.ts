import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** axe-core's own script (from npm), read once and injected into pages under test. */
let source: string | undefined;
const axeSource = () => (source ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string[]; html: string; failureSummary: string }[];
}

export interface AxeOptions {
  /** CSS selectors to leave out (e.g. a third-party embed). */
  exclude?: string[];
  /** axe rule tags to run; WCAG 2.x A and AA (and best practices) by default. */
  tags?: string[];
  /** Rules to switch off by id, each with a reason a reader can check. */
  disable?: Record<string, string>;
}

const DEFAULT_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** Injects axe-core into the page (once) and runs it on the whole document; returns the violations. */
export async function axeViolations(page: Page, options: AxeOptions = {}): Promise<AxeViolation[]> {
  // Evaluated by the browser's automation, not added as a <script>: the pages' Content-Security-Policy rightly refuses
  // an inline script it does not list.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource());
  const rules = Object.fromEntries(Object.keys(options.disable ?? {}).map((id) => [id, { enabled: false }]));
  return page.evaluate(
    async ({ exclude, tags, rules }) => {
      const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
      const context = exclude.length ? { exclude: exclude.map((s) => [s]) } : document;
      const result = await axe.run(context, { runOnly: { type: 'tag', values: tags }, rules, resultTypes: ['violations'] });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target.map(String), html: n.html, failureSummary: n.failureSummary })),
      }));
    },
    { exclude: options.exclude ?? [], tags: options.tags ?? DEFAULT_TAGS, rules },
  );
}

/** One line per failing node, readable in a test failure: "color-contrast: .severity (…)". */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${v.help}\n  at ${n.target.join(' ')}\n  ${n.html.slice(0, 160)}\n  ${n.failureSummary.replace(/\n/g, '\n  ')}`))
    .join('\n');
}

/** Fails the test with every violation listed when axe finds any. `label` names the page, theme and width. */
export async function expectNoAxeViolations(page: Page, label: string, options: AxeOptions = {}): Promise<void> {
  const violations = await axeViolations(page, options);
  expect(violations.length === 0 ? '' : `${label}:\n${describeViolations(violations)}`).toBe('');
}
