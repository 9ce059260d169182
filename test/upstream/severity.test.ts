import { describe, expect, it } from 'vitest';
import {
  COMPONENT_STATE_TABLE,
  SEVERITY_TABLE,
  componentStateForWord,
  incidentSeverity,
  incidentStatusForWord,
  maintenanceStatusForWord,
  pageIndicatorForWord,
  severityForWord,
  severityTableMarkdown,
  worseState,
  worstSeverity,
} from '../../worker/upstream/severity.ts';

describe('severity table', () => {
  it.each([
    ['critical', 1],
    ['major_outage', 1],
    ['full_outage', 1],
    ['SERVICE_OUTAGE', 1],
    ['MAJOROUTAGE', 1],
    ['major', 2],
    ['partial_outage', 2],
    ['SERVICE_DISRUPTION', 2],
    ['PARTIALOUTAGE', 2],
    ['minor', 3],
    ['degraded_performance', 3],
    ['MINOROUTAGE', 3],
    ['DEGRADEDPERFORMANCE', 3],
    ['none', 4],
    ['SERVICE_INFORMATION', 4],
  ] as const)('maps %s to %i', (word, severity) => {
    expect(severityForWord(word)).toBe(severity);
  });

  it('compares case-insensitively and reads spaces and hyphens as underscores', () => {
    expect(severityForWord('CRITICAL')).toBe(1);
    expect(severityForWord('Service_Outage')).toBe(1);
    expect(severityForWord('majorOutage')).toBe(1);
    expect(severityForWord('  Partial Outage ')).toBe(2);
    expect(severityForWord('degraded-performance')).toBe(3);
  });

  it('knows nothing about unknown words, empty words and non-strings', () => {
    expect(severityForWord('apocalyptic')).toBeNull();
    expect(severityForWord('')).toBeNull();
    expect(severityForWord(undefined)).toBeNull();
    expect(severityForWord(null)).toBeNull();
  });

  it('every row of the exported table resolves to its own value', () => {
    for (const row of SEVERITY_TABLE) expect(severityForWord(row.word)).toBe(row.value);
    for (const row of COMPONENT_STATE_TABLE) expect(componentStateForWord(row.word)).toBe(row.value);
  });

  it('renders the table as Markdown for the README', () => {
    const markdown = severityTableMarkdown();
    expect(markdown.split('\n')).toHaveLength(SEVERITY_TABLE.length + 2);
    expect(markdown).toContain('| `SERVICE_OUTAGE` | 1 (critical: total outage) | Google status_impact |');
  });
});

describe('component states', () => {
  it('maps Statuspage, Instatus and incident.io words', () => {
    expect(componentStateForWord('operational')).toBe('operational');
    expect(componentStateForWord('OPERATIONAL')).toBe('operational');
    expect(componentStateForWord('under_maintenance')).toBe('under_maintenance');
    expect(componentStateForWord('UNDERMAINTENANCE')).toBe('under_maintenance');
    expect(componentStateForWord('PARTIALOUTAGE')).toBe('partial_outage');
    expect(componentStateForWord('full_outage')).toBe('major_outage');
    expect(componentStateForWord('MAJOROUTAGE')).toBe('major_outage');
  });

  it('never reads an unknown word as operational', () => {
    for (const word of ['ok', 'up', 'green', 'Operationalish', 'fine', '']) {
      expect(componentStateForWord(word)).toBeNull();
    }
  });

  it('ranks unknown above operational so it is never hidden by a green state', () => {
    expect(worseState('operational', 'unknown')).toBe('unknown');
    expect(worseState('unknown', 'degraded_performance')).toBe('degraded_performance');
    expect(worseState('major_outage', 'partial_outage')).toBe('major_outage');
  });

  it('lets a known maintenance win over unknown for one component, unlike the page summary', () => {
    // One component reported in maintenance and unreadable is in maintenance (as derive.ts decides a component's
    // state); across the page, a component that cannot be checked outranks another one's maintenance (overall.ts).
    expect(worseState('unknown', 'under_maintenance')).toBe('under_maintenance');
    expect(worseState('under_maintenance', 'unknown')).toBe('under_maintenance');
  });
});

describe('statuses and indicators', () => {
  it('maps incident, maintenance and page words', () => {
    expect(incidentStatusForWord('Identified')).toBe('identified');
    expect(incidentStatusForWord('RESOLVED')).toBe('resolved');
    expect(incidentStatusForWord('scheduled')).toBeNull();
    expect(maintenanceStatusForWord('maintenance_in_progress')).toBe('in_progress');
    expect(maintenanceStatusForWord('NOTSTARTEDYET')).toBe('scheduled');
    expect(maintenanceStatusForWord('verifying')).toBe('verifying');
    expect(pageIndicatorForWord('HASISSUES')).toBe('minor');
    expect(pageIndicatorForWord('critical')).toBe('critical');
    expect(pageIndicatorForWord('meh')).toBeNull();
  });
});

describe('incident severity', () => {
  it('takes the worse of impact and affected component states while unresolved', () => {
    expect(incidentSeverity({ impactSeverity: 4, componentStates: ['major_outage'], resolved: false })).toBe(1);
    expect(incidentSeverity({ impactSeverity: 3, componentStates: ['partial_outage', 'operational'], resolved: false })).toBe(2);
    expect(incidentSeverity({ impactSeverity: 1, componentStates: ['degraded_performance'], resolved: false })).toBe(1);
  });

  it('uses the impact alone once resolved', () => {
    expect(incidentSeverity({ impactSeverity: 4, componentStates: ['major_outage'], resolved: true })).toBe(4);
  });

  it('falls back to component states when the impact is unknown, and is null when nothing is known', () => {
    expect(incidentSeverity({ impactSeverity: null, componentStates: ['degraded_performance'], resolved: false })).toBe(3);
    expect(incidentSeverity({ impactSeverity: null, componentStates: ['operational', 'unknown'], resolved: false })).toBeNull();
  });

  it('worstSeverity ignores unknowns', () => {
    expect(worstSeverity(null, 3, undefined, 2)).toBe(2);
    expect(worstSeverity()).toBeNull();
  });
});

describe('documentation', () => {
  it('the upstream README shows the severity table exactly as the code has it', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(new URL('../../worker/upstream/README.md', import.meta.url), 'utf8');
    expect(readme).toContain(severityTableMarkdown());
  });

  it('the project README shows the same table', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(severityTableMarkdown());
  });
});
