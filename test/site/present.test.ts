import { describe, expect, it } from 'vitest';
import type { ComponentInfo, IncidentInfo, SiteData, StatusInfo } from '../../site/lib/api.ts';
import { fill, localeOfPath, localePath, LOCALES, t } from '../../site/lib/i18n.ts';
import { bannerText, contentLang, levelOf, openIncidentsInOrder } from '../../site/lib/present.ts';

const component = (id: string, name: string, state: ComponentInfo['state']): ComponentInfo => ({
  id,
  name,
  status: state === 'unknown' || !state ? 'operational' : state,
  state,
  created_at: '2026-11-01T00:00:00Z',
  updated_at: '2026-11-01T00:00:00Z',
  position: 1,
  description: null,
  showcase: true,
  start_date: null,
  group: false,
  group_id: null,
  page_id: 'vigia',
  only_show_if_degraded: false,
});

/** A status with Statuspage's fields only, as an older API wrote it: the page derives Vigía's overall state itself. */
const statuspageOnly = { indicator: 'none', description: 'All Systems Operational' } as StatusInfo;

function site(components: ComponentInfo[], defaultLocale: SiteData['site']['default_locale'] = 'es'): SiteData {
  return {
    site: {
      name: 'Demo',
      names: { es: 'Demo', en: 'Demo', 'pt-BR': 'Demo' },
      logo: null,
      accent_color: null,
      url: 'https://status.example.com',
      description: null,
      default_locale: defaultLocale,
      locales: ['es', 'en', 'pt-BR'],
      timezone: 'America/Bogota',
    },
    severities: [],
    regionSeverities: [],
    status: statuspageOnly,
    updatedAt: '2026-11-20T15:00:00Z',
    components,
    openIncidents: [],
    incidents: [],
    maintenances: [],
    upcomingMaintenances: [],
    activeMaintenances: [],
    uptime: { time_zone: 'America/Bogota', first_day: '2026-08-23', last_day: '2026-11-20', legend: {}, components: [], groups: [], incidents: {}, maintenances: {} },
    history: [],
  };
}

const eight = (unknown: number) =>
  ['Hosting', 'Panel', 'Correo', 'Google Workspace', 'Microsoft 365', 'Telefonía', 'VTEX', 'DNS'].map((name, i) =>
    component(`c${i}`, name, i >= 8 - unknown ? 'unknown' : 'operational'),
  );

describe('banner words', () => {
  it('never says all operational while components cannot be checked (the API computed nothing: derived here)', () => {
    const data = site(eight(5));
    expect(bannerText(data, 'es')).toEqual({
      state: 'unknown',
      headline: 'Estado desconocido de 5 servicios',
      details: ['Sin poder comprobar: Google Workspace, Microsoft 365, Telefonía, VTEX y DNS'],
    });
    expect(bannerText(data, 'en').headline).toBe('Some services cannot be checked (5)');
    expect(bannerText(data, 'pt-BR').headline).toBe('Status desconhecido de 5 serviços');
    expect(bannerText(site(eight(1)), 'es').headline).toBe('Estado desconocido de 1 servicio');
  });

  it('uses the API overall state and names the affected components, worst first, then what cannot be checked', () => {
    const data = site(eight(0));
    data.status = {
      indicator: 'critical',
      description: 'Major Service Outage',
      state: 'major_outage',
      affected_components: [
        { id: 'c0', name: 'Hosting', state: 'major_outage', unknown_since: null },
        { id: 'c2', name: 'Correo', state: 'degraded_performance', unknown_since: null },
        { id: 'c3', name: 'Google Workspace', state: 'unknown', unknown_since: null },
        { id: 'c1', name: 'Panel', state: 'under_maintenance', unknown_since: null },
      ],
      component_counts: { total: 8, operational: 4, degraded_performance: 1, partial_outage: 0, major_outage: 1, under_maintenance: 1, unknown: 1 },
    };
    expect(bannerText(data, 'es')).toEqual({
      state: 'major_outage',
      headline: 'Interrupción mayor del servicio',
      details: ['Afectados: Hosting y Correo', 'Sin poder comprobar: Google Workspace', 'En mantenimiento: Panel'],
    });
    expect(bannerText(data, 'en').details[0]).toBe('Affected: Hosting and Correo');
    expect(bannerText(data, 'pt-BR').details[0]).toBe('Afetados: Hosting e Correo');
  });

  it('says all operational, with the count, only when every component is', () => {
    expect(bannerText(site(eight(0)), 'es')).toEqual({ state: 'operational', headline: 'Todos los sistemas operativos', details: ['Los 8 servicios responden con normalidad.'] });
  });
});

describe('open incidents order', () => {
  it('puts the most severe first, then the newest', () => {
    const incident = (id: string, severity: 1 | 2 | 3 | 4, started: string) => ({ id, severity, started_at: started }) as IncidentInfo;
    const ordered = openIncidentsInOrder([
      incident('a', 1, '2026-11-20T10:00:00Z'),
      incident('b', 4, '2026-11-20T12:00:00Z'),
      incident('c', 2, '2026-11-20T09:00:00Z'),
      incident('d', 1, '2026-11-20T11:00:00Z'),
    ]);
    expect(ordered.map((i) => i.id)).toEqual(['d', 'a', 'c', 'b']);
  });
});

describe('languages', () => {
  it('marks admin text in the default language and provider text as English, only where the page differs', () => {
    const data = site([]);
    expect(contentLang('es', data)).toBeUndefined();
    expect(contentLang('en', data)).toBe('es');
    expect(contentLang('pt-BR', data)).toBe('es');
    expect(contentLang('es', data, 'upstream')).toBe('en');
    expect(contentLang('en', data, 'upstream')).toBeUndefined();
    expect(contentLang('es', site([], 'pt-BR'))).toBe('pt-BR');
  });

  it('knows each language prefix in one place, the root language having none', () => {
    expect(localePath('es', '/subscribe/', 'es')).toBe('/subscribe/');
    expect(localePath('en', '/subscribe/', 'es')).toBe('/en/subscribe/');
    expect(localePath('pt-BR', '/', 'es')).toBe('/pt-br/');
    expect(localePath('es', '/', 'pt-BR')).toBe('/es/');
    expect(localeOfPath('/pt-br/incidents/x/', 'es')).toBe('pt-BR');
    expect(localeOfPath('/incidents/x/', 'es')).toBe('es');
  });

  it('has every text in every language, with the same placeholders', () => {
    const shape = (value: unknown, path = ''): string[] =>
      value && typeof value === 'object' ? Object.entries(value).flatMap(([k, v]) => shape(v, `${path}.${k}`)) : [`${path}:${String(value).match(/\{\w+\}/g)?.join('') ?? ''}`];
    const es = shape(t('es')).filter((k) => !/^\.(langName|htmlLang|dateLocale|ogLocale):/.test(k));
    for (const locale of LOCALES) {
      const other = shape(t(locale)).filter((k) => !/^\.(langName|htmlLang|dateLocale|ogLocale):/.test(k));
      expect(other, locale).toEqual(es);
      for (const [key, text] of Object.entries(t(locale).overall)) expect(text, `${locale} overall.${key}`).not.toBe('');
    }
    expect(fill('{n} · {names}', { n: 2, names: ['A', 'B'] }, 'pt-BR')).toBe('2 · A e B');
  });
});

describe('an incident\'s level', () => {
  const level = (n: number, es: string, color: string) => ({ level: n, name: { es, en: es, 'pt-BR': es }, description: { es: '', en: '', 'pt-BR': '' }, color, response_clock: null, resolution_clock: null });
  const data = {
    severities: [level(1, 'Crítico', '#c0262d'), level(2, 'Alto', '#cb4e0b'), level(3, 'Medio', '#917000')],
    // Brazil names its levels its own way and has no level 3.
    regionSeverities: [{ region: 'brasil', calendar: 'sao-paulo', severities: [level(1, 'Urgente', '#7a0000'), level(2, 'Normal', '#005a9c')] }],
  };

  it('is its region\'s own when its calendar\'s region declares it, else the policy\'s', () => {
    expect(levelOf(data, 2, 'sao-paulo')).toMatchObject({ info: { name: { es: 'Normal' } }, anchor: 'region-brasil-severity-2' });
    expect(levelOf(data, 2, 'bogota')).toMatchObject({ info: { name: { es: 'Alto' } }, anchor: 'severity-2' });
    expect(levelOf(data, 2, null)).toMatchObject({ info: { name: { es: 'Alto' } }, anchor: 'severity-2' });
    // A level the region does not declare is the policy's.
    expect(levelOf(data, 3, 'sao-paulo')).toMatchObject({ info: { name: { es: 'Medio' } }, anchor: 'severity-3' });
    expect(levelOf(data, 9, 'sao-paulo')).toMatchObject({ info: undefined, anchor: 'severity-9' });
  });

  it('takes its colour from the levels that name it', () => {
    expect(levelOf(data, 1, 'sao-paulo').color).not.toBe(levelOf(data, 1, null).color);
    expect(levelOf(data, 1, null).color).toBe(levelOf(data, 1, 'bogota').color);
  });
});
