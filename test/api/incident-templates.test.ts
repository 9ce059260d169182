import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_INCIDENT_TEMPLATES } from '../../worker/config/incident-templates.ts';
import { loadConfigFile } from '../../worker/config/load.ts';
import { testApp } from '../helpers/app.ts';
import { MATRIX_POLICY_FILE, TWO_INCIDENT_TEMPLATES, testConfig } from '../helpers/config.ts';


describe('GET /api/admin/incident-templates', () => {
  let t: Awaited<ReturnType<typeof testApp>> | undefined;
  afterEach(() => t?.close());

  it('serves the config’s templates with their level', async () => {
    t = await testApp({ config: testConfig(TWO_INCIDENT_TEMPLATES) });
    const res = await t.request('/api/admin/incident-templates');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { source: string; templates: { id: string; severity: number | null; priority: string | null; components: string[]; title: Record<string, string> }[] };
    expect(body.source).toBe('config');
    expect(body.templates.map((x) => [x.id, x.severity, x.priority, x.components])).toEqual([
      ['correo-lento', 3, null, ['correo']],
      ['telefonia-caida', 1, null, []],
    ]);
    expect(body.templates[1]!.title).toEqual({ es: 'Telefonía caída', en: 'Telephony down', 'pt-BR': 'Telefonia fora do ar' });
  });

  it('serves the six shipped templates when the config has none', async () => {
    t = await testApp();
    const body = (await (await t.request('/api/admin/incident-templates')).json()) as { source: string; templates: { id: string; severity: number | null; title: { es: string } }[] };
    expect(body.source).toBe('default');
    expect(body.templates).toHaveLength(6);
    expect(body.templates.map((x) => x.id)).toEqual(DEFAULT_INCIDENT_TEMPLATES.map((x) => x.id));
    expect(body.templates[0]).toMatchObject({ id: 'mail-slow', severity: 3, title: { es: 'Lentitud en el correo' } });
  });

  it('with a matrix, gives each config template the level of its cell, and each shipped one the cell of its level', async () => {
    t = await testApp({ config: loadConfigFile(MATRIX_POLICY_FILE) });
    const body = (await (await t.request('/api/admin/incident-templates')).json()) as { templates: { id: string; severity: number | null; priority: string | null; impact: string | null }[] };
    expect(body.templates.map((x) => [x.id, x.severity, x.priority, x.impact])).toEqual([
      ['tienda-caida', 1, 'alta', 'alto'],
      ['formularios-lentos', 5, 'media', 'medio'],
      ['sitio-lento', 8, 'baja', 'medio'],
    ]);
    await t.close();
    const { incident_templates: _none, ...withoutTemplates } = loadConfigFile(MATRIX_POLICY_FILE);
    t = await testApp({ config: { ...withoutTemplates } });
    const shipped = (await (await t.request('/api/admin/incident-templates')).json()) as { templates: { id: string; severity: number | null; priority: string | null; impact: string | null }[] };
    // mail-slow is level 3: the cell alta / bajo.
    expect(shipped.templates[0]).toMatchObject({ id: 'mail-slow', severity: 3, priority: 'alta', impact: 'bajo' });
  });

  it('is refused without credentials (test/api/roles.test.ts walks it with every role)', async () => {
    t = await testApp();
    const anonymous = await t.request('/api/admin/incident-templates', { token: null });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });
});
