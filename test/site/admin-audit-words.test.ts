import { afterAll, describe, expect, it } from 'vitest';
import en from '../../site/scripts/admin-dictionary/en.ts';
import es from '../../site/scripts/admin-dictionary/es.ts';
import { auditActionKey, auditActionWords } from '../../site/scripts/admin-audit-words.ts';
import { testApp } from '../helpers/app.ts';

const t = await testApp({ publishOnRead: false });
afterAll(() => t.close());

/** The admin API's routes that change something, read from the app itself, as the audit log records them. */
const changes = [...new Set(t.http.routes.filter((r) => r.path.startsWith('/api/admin/') && ['POST', 'PATCH', 'PUT', 'DELETE'].includes(r.method)).map((r) => `${r.method} ${r.path}`))]
  // An e-mail preview changes nothing and is not recorded.
  .filter((route) => !route.includes('/previews/'))
  .map((route) => route.replace(/:(\w+)/g, 'x$1'));

describe('the audit log\'s actions in words', () => {
  it('names every change the admin API can record, in Spanish and English', () => {
    expect(changes.length).toBeGreaterThan(25);
    expect(changes.filter((action) => auditActionKey(action) === null)).toEqual([]);
  });

  it('tells apart the requests of one collection', () => {
    expect(auditActionWords('POST /api/admin/incidents/8f2k1/updates', en)).toBe('Posted an incident update');
    expect(auditActionWords('POST /api/admin/incidents/8f2k1/updates', es)).toBe('Publicó una actualización de un incidente');
    expect(auditActionWords('POST /api/admin/incidents', en)).toBe('Opened an incident');
    expect(auditActionWords('POST /api/admin/maintenances/series', en)).toBe('Scheduled a recurring maintenance');
    expect(auditActionWords('DELETE /api/admin/maintenances/series/s1', en)).toBe('Stopped a recurring maintenance');
    expect(auditActionWords('POST /api/admin/maintenances/m1/cancel', es)).toBe('Canceló un mantenimiento');
    expect(auditActionWords('POST /api/admin/sources/detect', en)).toBe('Tried a source’s address');
    expect(auditActionWords('POST /api/admin/sources/acme/pause', en)).toBe('Paused a source');
    expect(auditActionWords('PATCH /api/admin/me', es)).toBe('Cambió su idioma');
    expect(auditActionWords('DELETE /api/admin/subscribers/s1', en)).toBe('Removed a subscriber');
    expect(auditActionWords('DELETE /api/admin/subscribers/channels/c1', en)).toBe('Removed a channel subscription');
  });

  it('shows a request it has no words for as it was recorded', () => {
    expect(auditActionWords('POST /api/admin/teapots/t1/brew', en)).toBe('POST /api/admin/teapots/t1/brew');
    expect(auditActionKey('GET /somewhere/else')).toBeNull();
  });
});
