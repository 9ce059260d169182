import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../worker/config/errors.ts';
import { loadConfigFile, parseConfigText } from '../../worker/config/load.ts';
import { DEFAULT_TEAM_CHANNEL_EVENTS, localizedText, messageLocale, teamChannelEvents } from '../../worker/config/schema.ts';
import { TEST_CONFIG_YAML } from '../helpers/config.ts';

const problemOf = (text: string, file = 'vigia.config.yaml') => {
  try {
    parseConfigText(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the config to be refused');
};

const MINIMAL = `
site: { name: Demo, url: "https://status.example.com" }
sources:
  - { id: gws, name: Google Workspace, type: google, url: "https://example.com/incidents.json" }
components:
  - { id: correo, name: Correo, sources: [gws] }
`;

describe('config loading', () => {
  it('loads the shipped demo configuration', () => {
    const config = loadConfigFile(join(import.meta.dirname, '../../vigia.config.yaml'));
    expect(config.site.default_locale).toBe('es');
    expect(config.site.locales).toEqual(['es', 'en', 'pt-BR']);
    expect(config.components.length).toBeGreaterThanOrEqual(5);
    expect(config.sources.map((s) => s.type)).toEqual(expect.arrayContaining(['google', 'statuspage']));
    expect(config.maintenance.min_notice).toBe(8 * 3_600_000);
    expect(config.severities?.map((s) => s.level)).toEqual([1, 2, 3, 4]);
  });

  it('fills defaults for a minimal file', () => {
    const config = parseConfigText(MINIMAL);
    expect(config.site.timezone).toBe('America/Bogota');
    expect(config.sources[0]!.interval).toBe(60_000);
    expect(config.maintenance.reminders).toEqual([86_400_000, 3_600_000]);
    expect(config.admins).toEqual([]);
  });

  it('parses the shared test config', () => {
    expect(parseConfigText(TEST_CONFIG_YAML).components.map((c) => c.id)).toEqual(['hosting', 'correo', 'telefonia']);
  });

  it('names the file, key path and problem for an unknown source reference', () => {
    const text = MINIMAL.replace('sources: [gws] }', 'sources: [gws] }\n  - { id: b, name: B }\n  - { id: c, name: C, sources: [gmail] }');
    expect(problemOf(text)).toBe('vigia.config.yaml: components[2].sources[0]: unknown source "gmail"');
  });

  it('points at an unknown key', () => {
    expect(problemOf(MINIMAL.replace('site: {', 'site: { colour: red,'))).toBe('vigia.config.yaml: site.colour: unknown key "colour"');
  });

  it('names a missing required key', () => {
    expect(problemOf('site: { name: Demo }\ncomponents: [{ id: a, name: A }]\n')).toContain('vigia.config.yaml: site.url: is required');
  });

  it('refuses a wrong type, an unknown source type and a bad interval', () => {
    expect(problemOf(MINIMAL.replace('type: google', 'type: gmail'))).toMatch(/^vigia\.config\.yaml: sources\[0\]\.type: /);
    expect(problemOf(MINIMAL.replace('type: google,', 'type: google, interval: soon,'))).toBe(
      'vigia.config.yaml: sources[0].interval: "soon" is not a duration (write e.g. 45s, 10m, 8h, 2d or 1h30m)',
    );
    expect(problemOf(MINIMAL.replace('name: Demo', 'name: [1, 2]'))).toMatch(/^vigia\.config\.yaml: site\.name: /);
  });

  it('takes team channels and refuses a bad one with its key path', () => {
    const teams = (lines: string) => `${MINIMAL}notifications:\n  team_channels:\n${lines}`;
    const config = parseConfigText(teams('    - { channel: slack, url: "https://hooks.slack.com/services/T/B/X" }\n    - { channel: webhook, url: "https://hooks.example/v", secret_env: TEAM_SECRET, locale: en }\n'));
    expect(config.notifications.team_channels).toEqual([
      { channel: 'slack', url: 'https://hooks.slack.com/services/T/B/X', components: [], incident_notices: true, min_severity: 9 },
      { channel: 'webhook', url: 'https://hooks.example/v', secret_env: 'TEAM_SECRET', locale: 'en', components: [], incident_notices: true, min_severity: 9 },
    ]);
    expect(parseConfigText(MINIMAL).notifications.team_channels).toEqual([]);
    expect(problemOf(teams('    - { channel: webhook, url: "https://hooks.example/v" }\n'))).toBe(
      'vigia.config.yaml: notifications.team_channels[0].secret_env: a webhook needs secret_env: the environment variable holding its signing secret (whsec_…)',
    );
    expect(problemOf(teams('    - { channel: webhook, url: "https://hooks.example/v", secret: whsec_abc }\n'))).toContain('vigia.config.yaml: notifications.team_channels[0].secret: unknown key "secret"');
    expect(problemOf(teams('    - { channel: teams, url: "https://x.example/w", secret_env: X }\n'))).toBe(
      'vigia.config.yaml: notifications.team_channels[0].secret_env: a teams channel is not signed: secret_env is for webhooks',
    );
    expect(problemOf(teams('    - { channel: discord, url: "ftp://x.example/w" }\n'))).toBe('vigia.config.yaml: notifications.team_channels[0].url: must be an http:// or https:// URL');
    expect(problemOf(teams('    - { channel: fax, url: "https://x.example/w" }\n'))).toMatch(/^vigia\.config\.yaml: notifications\.team_channels\[0\]\.channel: /);
    expect(problemOf(teams('    - { channel: slack, url: "https://x.example/w", components: [nada] }\n'))).toBe('vigia.config.yaml: notifications.team_channels[0].components[0]: unknown component "nada"');
    expect(problemOf(teams('    - { channel: slack, url: "https://x.example/w", locale: pt-BR }\n'))).toBe('vigia.config.yaml: notifications.team_channels[0].locale: "pt-BR" is not among site.locales');
  });

  it('reads which notices each team channel gets, admin alerts included, and names a wrong event with its key path', () => {
    const teams = (lines: string) => `${MINIMAL}notifications:\n  team_channels:\n${lines}`;
    const [plain, alerts, both] = parseConfigText(
      teams(
        '    - { channel: slack, url: "https://x.example/a" }\n' +
          '    - { channel: teams, url: "https://x.example/b", events: [admin.*] }\n' +
          '    - { channel: discord, url: "https://x.example/c", events: [maintenance.*, admin.mail_paused, incident.opened, maintenance.reminder] }\n',
      ),
    ).notifications.team_channels;
    // Not given: what a team channel always got, the windows' and incidents' notices.
    expect(plain!.events).toBeUndefined();
    expect(teamChannelEvents(plain!)).toEqual(DEFAULT_TEAM_CHANNEL_EVENTS);
    expect(DEFAULT_TEAM_CHANNEL_EVENTS.every((e) => e.startsWith('maintenance.') || e.startsWith('incident.'))).toBe(true);
    expect(teamChannelEvents(alerts!)).toEqual(['admin.late_notice', 'admin.sla_warning', 'admin.mail_paused', 'admin.mail_failing', 'admin.channel_disabled']);
    // Groups expanded, each kind once, in the vocabulary's order.
    expect(teamChannelEvents(both!)).toEqual([
      'maintenance.announcement',
      'maintenance.reminder',
      'maintenance.rescheduled',
      'maintenance.cancelled',
      'maintenance.started',
      'maintenance.completed',
      'incident.opened',
      'admin.mail_paused',
    ]);

    expect(problemOf(teams('    - { channel: slack, url: "https://x.example/w", events: [admin.*, admin.paused] }\n'))).toBe(
      'vigia.config.yaml: notifications.team_channels[0].events[1]: unknown event "admin.paused": one of maintenance.*, incident.*, admin.* or a notice such as admin.late_notice, admin.sla_warning, admin.mail_paused, admin.mail_failing, admin.channel_disabled',
    );
    expect(problemOf(teams('    - { channel: slack, url: "https://x.example/w", events: [subscription.confirm] }\n'))).toMatch(
      /^vigia\.config\.yaml: notifications\.team_channels\[0\]\.events\[0\]: unknown event "subscription\.confirm"/,
    );
    expect(problemOf(teams('    - { channel: slack, url: "https://x.example/w", events: [] }\n'))).toBe(
      'vigia.config.yaml: notifications.team_channels[0].events: must name at least one event (leave the team channel out to send it nothing)',
    );
    expect(problemOf(teams('    - { channel: slack, url: "https://x.example/w", events: admin.* }\n'))).toMatch(/^vigia\.config\.yaml: notifications\.team_channels\[0\]\.events: /);
    expect(problemOf(teams('    - { channel: slack, url: "https://x.example/w", incident_notices: false, events: [incident.*, admin.*] }\n'))).toBe(
      'vigia.config.yaml: notifications.team_channels[0].events: names incident.opened, incident.updated, incident.resolved but incident_notices is false',
    );
  });

  it('refuses duplicate ids and unknown time zones', () => {
    expect(problemOf(MINIMAL.replace('  - { id: correo, name: Correo, sources: [gws] }', '  - { id: correo, name: Correo }\n  - { id: correo, name: Otra }'))).toBe(
      'vigia.config.yaml: components[1].id: duplicate component id "correo"',
    );
    expect(problemOf(MINIMAL.replace('url: "https://status.example.com"', 'url: "https://status.example.com", timezone: Mars/Olympus'))).toBe(
      'vigia.config.yaml: site.timezone: unknown time zone "Mars/Olympus"',
    );
  });

  it('reports YAML syntax errors with a line number', () => {
    expect(problemOf('site: [\n  name: x\n', 'custom.yaml')).toMatch(/^custom\.yaml: YAML syntax error at line \d+, column \d+: /);
  });

  it('refuses a file that is not a mapping, and a missing file', () => {
    expect(problemOf('- just\n- a list\n')).toMatch(/must be a YAML mapping/);
    const dir = mkdtempSync(join(tmpdir(), 'vigia-config-'));
    expect(() => loadConfigFile(join(dir, 'missing.yaml'))).toThrow(/missing\.yaml: cannot read the file \(ENOENT\)/);
    writeFileSync(join(dir, 'bad.yaml'), MINIMAL.replace('components:', 'componentz:'));
    expect(() => loadConfigFile(join(dir, 'bad.yaml'))).toThrow(/bad\.yaml: componentz: unknown key/);
  });

  it('accepts Brazilian Portuguese as a site language; its texts are optional and fall back to Spanish', () => {
    const config = parseConfigText(
      MINIMAL.replace('url: "https://status.example.com" }', 'url: "https://status.example.com", default_locale: pt-BR, locales: [pt-BR, es, en], description: { es: Estado, en: Status } }'),
    );
    expect(config.site.locales).toEqual(['pt-BR', 'es', 'en']);
    expect(config.site.default_locale).toBe('pt-BR');
    expect(localizedText(config.site.description!, 'pt-BR')).toBe('Estado');
    const translated = parseConfigText(MINIMAL.replace('url: "https://status.example.com" }', 'url: "https://status.example.com", description: { es: Estado, en: Status, pt-BR: Situação } }'));
    expect(localizedText(translated.site.description!, 'pt-BR')).toBe('Situação');
    expect(localizedText(translated.site.description!, 'en')).toBe('Status');
    // Mail and the subscription pages speak every site language; anything else reads Spanish.
    expect(messageLocale('pt-BR')).toBe('pt-BR');
    expect(messageLocale('en')).toBe('en');
    expect(messageLocale('fr')).toBe('es');
    // An admin may read their mail in Brazilian Portuguese.
    expect(parseConfigText(`${MINIMAL}\nadmins: [{ email: ops@example.com, locale: pt-BR }]\n`).admins[0]!.locale).toBe('pt-BR');
    expect(problemOf(MINIMAL.replace('url: "https://status.example.com" }', 'url: "https://status.example.com", locales: [es, fr] }'))).toMatch(/^vigia\.config\.yaml: site\.locales\[1\]: /);
  });

  it('accepts a name per business-hours calendar, one text or one per language, and refuses a malformed one with its path', () => {
    const calendar = (name: string) =>
      `${MINIMAL}business_hours:\n  default: bog\n  calendars:\n    bog: { ${name}timezone: America/Bogota, week: { mon: ["08:00-18:00"] } }\n`;
    expect(parseConfigText(calendar('name: Oficina de Bogotá, ')).business_hours!.calendars.bog!.name).toBe('Oficina de Bogotá');
    expect(parseConfigText(calendar('name: { es: Oficina, en: Office, pt-BR: Escritório }, ')).business_hours!.calendars.bog!.name).toEqual({ es: 'Oficina', en: 'Office', 'pt-BR': 'Escritório' });
    expect(parseConfigText(calendar('')).business_hours!.calendars.bog!.name).toBeUndefined();
    for (const bad of ['name: "", ', 'name: { es: Oficina }, ', 'name: { es: Oficina, en: Office, fr: Bureau }, ', 'name: 12, ']) {
      expect(problemOf(calendar(bad)), bad).toMatch(/^vigia\.config\.yaml: business_hours\.calendars\.bog\.name/);
    }
  });
});

describe('policy shapes in the config', () => {
  const LEVEL = '{ level: 1, name: { es: Uno, en: One }, description: { es: Uno, en: One }';
  const withLevels = (levels: string, extra = '') => `${MINIMAL}severities:\n${levels}\n${extra}`;

  it('accepts nine levels, ranges, immediate, N/A and in/out-of-hours targets', () => {
    const levels = Array.from({ length: 9 }, (_, i) => `  - { level: ${i + 1}, name: { es: N${i + 1}, en: N${i + 1} }, description: { es: d, en: d }, response: 2h-1h }`).join('\n');
    const config = parseConfigText(withLevels(levels));
    expect(config.policy.severities.map((s) => s.level)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const one = parseConfigText(withLevels(`  - ${LEVEL}, response: { in_hours: 15m, out_of_hours: 2h }, resolution: N/A, average_restoration: 4h }`)).policy.severities[0]!;
    expect([one.response!.duration.text, one.response!.clock, one.response!.outOfHours!.duration.text, one.response!.outOfHours!.clock, one.resolution]).toEqual(['15m', 'business', '2h', 'always', null]);
    expect(one.averageRestoration!.text).toBe('4h');
    const immediate = parseConfigText(withLevels(`  - ${LEVEL}, response: inmediata }`, 'sla: { immediate_grace: 10m }')).policy.severities[0]!;
    expect(immediate.response).toMatchObject({ immediate: true, graceMs: 10 * 60_000 });
  });

  it('names the file, the key path and what is wrong', () => {
    expect(problemOf(withLevels(`  - { level: 10, name: { es: X, en: X }, description: { es: X, en: X }, response: 1h }`), 'mine.yaml')).toBe('mine.yaml: severities[0].level: must be at most 9');
    expect(problemOf(withLevels(`  - ${LEVEL}, response: 2h-2h }`))).toBe('vigia.config.yaml: severities[0].response: the range "2h-2h" has equal bounds; write one length instead');
    expect(problemOf(withLevels(`  - ${LEVEL}, response: { in_hours: 15m, out_of_hours: 2 horas } }`))).toContain('severities[0].response.out_of_hours: duration "2 horas" uses the unit "horas"');
    expect(problemOf(withLevels(`  - ${LEVEL}, clock: always, response: { in_hours: 15m, out_of_hours: 2h } }`))).toContain('severities[0].response: in-hours and out-of-hours targets need the business clock');
    expect(problemOf(withLevels(`  - ${LEVEL}, statuspage_impact: severe }`))).toContain('severities[0].statuspage_impact:');
    // An unquoted comma in a flow mapping splits a text: the rest is refused, not dropped silently.
    expect(problemOf(withLevels(`  - { level: 1, name: { es: Uno, en: One }, description: { es: Caída, total, en: Down }, response: 1h }`))).toBe(
      'vigia.config.yaml: severities[0].description.total: unknown key "total"',
    );
  });

  it('checks a priority matrix against the levels', () => {
    const matrix = (levels: string) => `priority_matrix:
  priorities: [{ id: alta, name: { es: Alta, en: High } }]
  impacts: [{ id: alto, name: { es: Alto, en: High } }, { id: bajo, name: { es: Bajo, en: Low } }]
  levels: ${levels}`;
    const two = `  - ${LEVEL}, response: 1h }\n  - { level: 2, name: { es: Dos, en: Two }, description: { es: d, en: d }, response: 2h }`;
    expect(parseConfigText(withLevels(two, matrix('{ alta: { alto: 1, bajo: 2 } }'))).policy.matrix?.levels).toEqual({ alta: { alto: 1, bajo: 2 } });
    expect(problemOf(withLevels(two, matrix('{ alta: { alto: 1 } }')))).toBe('vigia.config.yaml: priority_matrix.levels.alta.bajo: is required: every cell of the matrix names a level');
    expect(problemOf(withLevels(two, matrix('{ alta: { alto: 1, bajo: 1 } }')))).toContain('priority_matrix.levels.alta.bajo: severity 1 is also the cell alta / alto');
    expect(problemOf(withLevels(two, matrix('{ alta: { alto: 1, bajo: 3 } }')))).toContain('priority_matrix.levels.alta.bajo: severity 3 is not declared under severities');
    expect(problemOf(withLevels(two, matrix('{ alta: { alto: 1, bajo: 2 }, urgente: {} }')))).toContain('priority_matrix.levels.urgente: unknown priority "urgente"');
  });

  it('checks regions: their calendars, and the components that name them', () => {
    const base = `
site: { name: Demo, url: "https://status.example.com" }
components:
  - { id: br, name: Brasil, region: brasil }
business_hours:
  default: sp
  calendars:
    sp: { timezone: America/Sao_Paulo, week: { mon: ["09:00-18:00"] } }
    ny: { timezone: America/New_York, week: { mon: ["09:00-18:00"] } }
`;
    const config = parseConfigText(`${base}regions:\n  brasil: { name: { es: Brasil, en: Brazil }, calendar: sp }\n`);
    expect(config.components[0]!.calendar).toBe('sp');
    expect(problemOf(`${base}regions:\n  brasil: { name: { es: Brasil, en: Brazil }, calendar: rio }\n`)).toBe('vigia.config.yaml: regions.brasil.calendar: unknown calendar "rio"');
    expect(problemOf(base)).toBe('vigia.config.yaml: components[0].region: unknown region "brasil" (the file declares no regions)');
    expect(problemOf(`${base}regions:\n  brasil: { name: { es: Brasil, en: Brazil }, calendar: sp }\n  us: { name: { es: EE. UU., en: US }, calendar: sp }\n`)).toContain('regions.us.calendar: calendar "sp" is also region "brasil"\'s');
  });
});
