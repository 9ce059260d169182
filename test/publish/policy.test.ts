import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp } from '../helpers/app.ts';
import { parseConfigText } from '../../worker/config/load.ts';
import type { PolicyInfo } from '../../worker/core/api-types.ts';
import type { TestApp } from './support.ts';

describe('/api/policy.json', () => {
  let t: TestApp;
  afterEach(() => t.close());

  describe('with the test policy', () => {
    beforeEach(async () => {
      t = await testApp();
    });

    it('gives each severity its names, descriptions and targets in words and minutes on their clock', async () => {
      const res = await t.request('/api/policy.json');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const policy = (await res.json()) as PolicyInfo;
      expect(policy.severities.map((s) => s.level)).toEqual([1, 2, 3, 4]);
      const [critical, , , low] = policy.severities;
      expect(critical).toMatchObject({
        name: { es: 'Crítico', en: 'Critical', 'pt-BR': 'Crítico' }, // no pt-BR in the config: Spanish, as the site shows it
        description: { es: 'Caída total', en: 'Total outage', 'pt-BR': 'Caída total' },
        color: '#c0262d',
        response: { target: '1h', clock: 'always', minutes: 60, words: { es: '1 hora', en: '1 hour', 'pt-BR': '1 hora' } },
        resolution: { target: '5h', clock: 'always', minutes: 300, words: { es: '5 horas', en: '5 hours', 'pt-BR': '5 horas' } },
      });
      // 2d on the business clock: two business days of the calendar's longest weekday (10 h), so 1,200 minutes.
      expect(low!.resolution).toEqual({
        target: '2d',
        clock: 'business',
        minutes: 1200,
        minutes_by_calendar: { bogota: 1200 },
        aim_minutes: null,
        immediate: false,
        grace_minutes: null,
        out_of_hours: null,
        words: { es: '2 días hábiles', en: '2 business days', 'pt-BR': '2 dias úteis' },
        commitment_words: { es: '2 días hábiles', en: '2 business days', 'pt-BR': '2 dias úteis' },
        aim_words: null,
        label: null,
      });
      expect(low!.response!.words).toEqual({ es: '24 horas hábiles', en: '24 business hours', 'pt-BR': '24 horas úteis' });
    });

    it('lists the business-hours calendars with their week, holidays, business day and components, and the notice rule', async () => {
      const policy = (await (await t.request('/api/policy.json')).json()) as PolicyInfo;
      expect(policy.default_calendar).toBe('bogota');
      expect(policy.calendars).toEqual([
        {
          id: 'bogota',
          // The test config names none: its id, made readable.
          name: { es: 'Bogota', en: 'Bogota', 'pt-BR': 'Bogota' },
          timezone: 'America/Bogota',
          default: true,
          week: { mon: ['08:00-18:00'], tue: ['08:00-18:00'], wed: ['08:00-18:00'], thu: ['08:00-18:00'], fri: ['08:00-18:00'], sat: ['08:00-12:00'], sun: [] },
          holidays: ['2026-12-25'],
          business_day_minutes: 600,
          components: [
            { id: 'hosting', name: 'Hosting web' },
            { id: 'correo', name: 'Correo corporativo' },
            { id: 'telefonia', name: 'Telefonía' },
          ],
        },
      ]);
      expect(policy.maintenance).toEqual({ min_notice: '8h', min_notice_minutes: 480, min_notice_words: { es: '8 horas', en: '8 hours', 'pt-BR': '8 horas' } });
      expect(policy.locales).toEqual(['es', 'en']);
    });
  });

  it('business days last what each calendar says; mixed targets and notice periods read naturally', async () => {
    t = await testApp({
      config: parseConfigText(
        `
site: { name: Otra, url: "https://status.otra.example", timezone: America/Sao_Paulo }
components:
  - { id: web, name: Web }
  - { id: voz, name: Voz, calendar: sao_paulo }
business_hours:
  default: bog
  calendars:
    bog: { name: { es: Oficina de Bogotá, en: Bogotá office }, timezone: America/Bogota, week: { mon: ["08:00-12:00", "14:00-18:00"], fri: ["08:00-17:00"] }, holidays: ["2027-01-01", "2026-12-25"] }
    sao_paulo: { timezone: America/Sao_Paulo, week: { mon: ["09:00-18:00"] }, business_day: 8h }
severities:
  - { level: 1, name: { es: Uno, en: One }, description: { es: D, en: D }, response: 1h30m, resolution: 1d4h, clock: business, response_clock: always }
maintenance: { min_notice: 1d2h30m }
`,
        'other.yaml',
      ),
    });
    const policy = (await (await t.request('/api/policy.json')).json()) as PolicyInfo;
    const [one] = policy.severities;
    expect(one!.response).toMatchObject({ clock: 'always', minutes: 90, words: { es: '1 hora y 30 minutos', en: '1 hour and 30 minutes', 'pt-BR': '1 hora e 30 minutos' } });
    // 1d4h on the business clock: one business day (9 h on bog, the longest weekday; 8 h on sp, as configured) and 4 h.
    expect(one!.resolution).toMatchObject({
      clock: 'business',
      minutes: 13 * 60,
      minutes_by_calendar: { bog: 13 * 60, sao_paulo: 12 * 60 },
      words: { es: '1 día hábil y 4 horas hábiles', en: '1 business day and 4 business hours', 'pt-BR': '1 dia útil e 4 horas úteis' },
    });
    const bog = policy.calendars.find((c) => c.id === 'bog')!;
    expect(bog.week.mon).toEqual(['08:00-12:00', '14:00-18:00']);
    expect(bog.holidays).toEqual(['2026-12-25', '2027-01-01']);
    expect(bog.components).toEqual([{ id: 'web', name: 'Web' }]);
    expect(policy.calendars.find((c) => c.id === 'sao_paulo')!.components).toEqual([{ id: 'voz', name: 'Voz' }]);
    // Names for customers: the configured ones per language (Portuguese falls back to Spanish), else the id made readable.
    expect(bog.name).toEqual({ es: 'Oficina de Bogotá', en: 'Bogotá office', 'pt-BR': 'Oficina de Bogotá' });
    expect(policy.calendars.find((c) => c.id === 'sao_paulo')!.name).toEqual({ es: 'Sao Paulo', en: 'Sao Paulo', 'pt-BR': 'Sao Paulo' });
    expect(policy.maintenance.min_notice_words).toEqual({ es: '1 día, 2 horas y 30 minutos', en: '1 day, 2 hours and 30 minutes', 'pt-BR': '1 dia, 2 horas e 30 minutos' });
  });

  it('names the one calendar assumed without business hours in each language, and a calendar named in one text alike in all', async () => {
    const minimal = (extra: string) =>
      parseConfigText(`site: { name: Otra, url: "https://status.otra.example", locales: [es, en, pt-BR] }\ncomponents:\n  - { id: web, name: Web }\n${extra}`, 'minimal.yaml');
    t = await testApp({ config: minimal('') });
    const assumed = (await (await t.request('/api/policy.json')).json()) as PolicyInfo;
    expect(assumed.calendars.map((c) => c.name)).toEqual([{ es: 'Horario de atención', en: 'Business hours', 'pt-BR': 'Horário de atendimento' }]);
    await t.close();
    t = await testApp({ config: minimal('business_hours: { default: lima, calendars: { lima: { name: Oficina Lima, timezone: America/Lima, week: { mon: ["09:00-18:00"] } } } }') });
    const named = (await (await t.request('/api/policy.json')).json()) as PolicyInfo;
    expect(named.calendars.map((c) => c.name)).toEqual([{ es: 'Oficina Lima', en: 'Oficina Lima', 'pt-BR': 'Oficina Lima' }]);
  });
});
