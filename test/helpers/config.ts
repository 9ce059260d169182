import { fileURLToPath } from 'node:url';
import { parseConfigText, type Config } from '../../worker/config/load.ts';

/** A small but complete config used across tests; `extra` YAML is appended at the top level. */
export const TEST_CONFIG_YAML = `
site:
  name: Prueba Hosting
  url: https://status.prueba.example
  default_locale: es
  locales: [es, en]
  timezone: America/Bogota
admins:
  - { email: ops@prueba.example }
sources:
  - { id: gws, name: Google Workspace, type: google, url: "http://127.0.0.1:9/incidents.json", interval: 60s }
components:
  - { id: hosting, name: Hosting web, group: Hosting }
  - { id: correo, name: Correo corporativo, group: Correo, sources: [gws] }
  - { id: telefonia, name: Telefonía, calendar: bogota }
business_hours:
  default: bogota
  calendars:
    bogota:
      timezone: America/Bogota
      week: { mon: ["08:00-18:00"], tue: ["08:00-18:00"], wed: ["08:00-18:00"], thu: ["08:00-18:00"], fri: ["08:00-18:00"], sat: ["08:00-12:00"], sun: [] }
      holidays: ["2026-12-25"]
severities:
  - { level: 1, name: { es: Crítico, en: Critical }, description: { es: Caída total, en: Total outage }, response: 1h, resolution: 5h, clock: always, color: "#c0262d" }
  - { level: 2, name: { es: Alto, en: High }, description: { es: Caída parcial, en: Partial outage }, response: 2h, resolution: 6h, clock: business }
  - { level: 3, name: { es: Medio, en: Medium }, description: { es: Degradado, en: Degraded }, response: 6h, resolution: 12h, clock: business }
  - { level: 4, name: { es: Bajo, en: Low }, description: { es: Dudas, en: Questions }, response: 24h, resolution: 2d, clock: business }
maintenance:
  min_notice: 8h
  reminders: [24h, 1h]
`;

export function testConfig(extra = ''): Config {
  return parseConfigText(TEST_CONFIG_YAML + extra, 'test.config.yaml');
}

/** Two incident templates, one with components and one with Portuguese, as a config file's `incident_templates:`. */
export const TWO_INCIDENT_TEMPLATES = `
incident_templates:
  - id: correo-lento
    severity: 3
    components: [correo]
    title: { es: Correo lento, en: Slow mail }
    message: { es: Los mensajes tardan., en: Messages are late. }
  - id: telefonia-caida
    severity: 1
    title: { es: Telefonía caída, en: Telephony down, pt-BR: Telefonia fora do ar }
    message: { es: Sin llamadas., en: No calls., pt-BR: Sem chamadas. }
`;

/** The example policy whose levels are a priority × impact matrix (and which ships three templates). */
export const MATRIX_POLICY_FILE = fileURLToPath(new URL('../../examples/policies/agencia-web-matriz.yaml', import.meta.url));
