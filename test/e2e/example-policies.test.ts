import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyInfo } from '../../worker/core/api-types.ts';
import { startTempVigia, type TempVigia } from '../helpers/server.ts';

/**
 * Each shipped example starts Vigía as an operator would (`VIGIA_CONFIG=examples/policies/…`), and its public
 * policy document says what the provider wrote.
 */
const EXAMPLES: Record<string, (policy: PolicyInfo) => void> = {
  'mexico-correo-telefonia.yaml': (policy) => {
    expect(policy.severities.map((s) => s.name.es)).toEqual(['Emergencia', 'Urgente', 'Estándar']);
    const emergency = policy.severities[0]!;
    expect(emergency.response).toMatchObject({ target: '15m', clock: 'business', words: { es: '15 minutos hábiles' }, out_of_hours: { target: '2h', clock: 'always', words: { es: '2 horas', en: '2 hours' } } });
    expect(emergency.resolution).toBeNull();
    expect(policy.calendars[0]!.week.mon).toEqual(['08:30-17:30']);
  },
  'contact-center.yaml': (policy) => {
    const [one, , three] = policy.severities;
    expect(one!.response).toMatchObject({ target: '10m', clock: 'always' });
    expect(one!.resolution).toBeNull();
    expect(one!.average_restoration).toEqual({ target: '4h', words: { es: '4 horas', en: '4 hours', 'pt-BR': '4 horas' } });
    expect(three!.resolution).toBeNull();
    expect(policy.severities[3]!.response).toMatchObject({ target: '1d', minutes: 540, words: { es: '1 día hábil' } });
  },
  'agencia-web-matriz.yaml': (policy) => {
    expect(policy.matrix?.priorities.map((p) => p.name.es)).toEqual(['Alta', 'Media', 'Baja']);
    expect(policy.matrix?.levels).toEqual([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    const words = policy.severities.map((s) => s.response!.words.es);
    expect(words).toEqual(['inmediata', 'menos de 1 hora', '4 a 2 horas hábiles', '8 a 4 horas hábiles', '12 a 8 horas hábiles', '24 a 12 horas hábiles', '24 a 16 horas hábiles', '36 a 24 horas hábiles', '48 a 36 horas hábiles']);
    expect(policy.severities[8]!.response).toMatchObject({ target: '48h-36h', minutes: 48 * 60, aim_minutes: 36 * 60 });
    expect(policy.severities[0]!.response).toMatchObject({ immediate: true, grace_minutes: 5 });
    // "Menos de 1 hora" is shown as the agency writes it; the clock counts the hour.
    expect(policy.severities[1]!.response).toMatchObject({
      target: '1h',
      minutes: 60,
      clock: 'always',
      label: { es: 'menos de 1 hora', en: 'under 1 hour', 'pt-BR': 'menos de 1 hora' },
      words: { es: 'menos de 1 hora', en: 'under 1 hour' },
      commitment_words: { es: '1 hora', en: '1 hour' },
    });
    expect(policy.severities[2]!.response!.label).toBeNull();
    expect(policy.severities[4]).toMatchObject({ priority: 'media', impact: 'medio', statuspage_impact: 'minor' });
  },
  'ecommerce-regiones.yaml': (policy) => {
    expect(policy.regions.map((r) => [r.id, r.calendar, r.components.map((c) => c.id), r.severities?.length ?? null])).toEqual([
      ['brasil', 'brasil', ['tiendas-br', 'pagos-br'], 3],
      ['latam', 'latam', ['tiendas-latam'], null],
      ['apac', 'apac', ['tiendas-apac'], null],
      ['us', 'us', ['tiendas-us'], null],
      ['emea', 'emea', ['tiendas-emea'], null],
    ]);
    expect(policy.calendars.map((c) => c.timezone)).toEqual(['America/Sao_Paulo', 'America/Bogota', 'Asia/Singapore', 'America/New_York', 'Europe/Dublin']);
  },
  'cuatro-niveles-horario-habil.yaml': (policy) => {
    expect(policy.severities.map((s) => [s.name.es, s.response!.words.es, s.resolution!.words.es])).toEqual([
      ['Crítico', '1 hora', '5 horas'],
      ['Alto', '2 horas hábiles', '6 horas hábiles'],
      ['Medio', '6 horas hábiles', '12 horas hábiles'],
      ['Bajo', '1 día hábil', '2 días hábiles'],
    ]);
    expect(policy.maintenance.min_notice_minutes).toBe(480);
  },
};

describe('the example policies start Vigía', () => {
  for (const [file, check] of Object.entries(EXAMPLES)) {
    describe(file, () => {
      let vigia: TempVigia;
      beforeAll(async () => {
        vigia = await startTempVigia({ env: { VIGIA_CONFIG: `examples/policies/${file}`, VIGIA_BUILD_SITE: '0' } });
      }, 60_000);
      afterAll(() => vigia?.close());

      it('and its public policy document is the policy as written', async () => {
        const res = await fetch(`${vigia.vigia.url}/api/policy.json`);
        expect(res.status).toBe(200);
        check((await res.json()) as PolicyInfo);
      });
    });
  }
});
