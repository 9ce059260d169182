import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError, validate } from '../../worker/http/errors.ts';
import { noticeTooShortMessage } from '../../worker/maintenances/notice-rule.ts';
import { parseReportRange } from '../../worker/reports/range.ts';
import { errorField, errorInSpanish, incidentStatusWord, maintenanceStatusWord, componentStateWord } from '../../site/scripts/admin-words.ts';

const at = (iso: string) => `«${iso}»`;

/** The body the API answers for a thrown ApiError. */
function bodyOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    const e = error as ApiError;
    return { code: e.code, message: e.message, details: e.details };
  }
  throw new Error('expected a refusal');
}

describe('admin console words', () => {
  it('names statuses with the public pages\' words', () => {
    expect(incidentStatusWord('identified')).toBe('Identificado');
    expect(maintenanceStatusWord('in_progress')).toBe('En curso');
    expect(componentStateWord('unknown')).toBe('Estado desconocido');
  });

  it('says why a window is refused, with the field and the earliest start in the admin\'s format', () => {
    const now = new Date('2026-12-01T12:00:00Z');
    const earliest = new Date('2026-12-01T20:00:00Z');
    const body = {
      code: 'notice_too_short',
      message: noticeTooShortMessage(new Date('2026-12-01T14:00:00Z'), now, 8 * 3_600_000, earliest),
      details: { earliest_allowed_start: earliest.toISOString() },
    };
    expect(errorInSpanish(body, at)).toBe('Inicio: el mantenimiento debe anunciarse con más antelación. El inicio más temprano permitido es «2026-12-01T20:00:00.000Z».');
  });

  it('names the field a validation error lists', () => {
    const body = bodyOf(() => validate(z.strictObject({ title: z.string().trim().min(1), message: z.string().min(1) }), { title: '', message: 'ok' }));
    expect(errorField(body)).toBe('title');
    expect(errorInSpanish(body, at)).toBe('Título: falta o no tiene un valor válido.');
  });

  it('names the component that does not exist', () => {
    const body = { code: 'unknown_component', message: 'component_ids[1]: unknown component "cdn"' };
    expect(errorInSpanish(body, at)).toBe('Componentes: el componente «cdn» no existe o fue retirado.');
  });

  it('reads the field of a refused report range from its message', () => {
    let message = '';
    try {
      parseReportRange({ month: '2026-13' }, 'America/Bogota');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(errorInSpanish({ code: 'invalid_range', message }, at)).toMatch(/^Mes: elija un mes/);
  });

  it('says something in Spanish for a code it does not know, without a field', () => {
    expect(errorInSpanish({ code: 'teapot', message: 'short and stout' }, at)).toBe('El servidor no pudo hacer el cambio (código «teapot»).');
  });
});
