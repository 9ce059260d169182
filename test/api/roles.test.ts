/**
 * Every admin route, read from the app itself (so a new route is walked the day it is added), with every role and with
 * no credentials: no credentials answer 401, a role below the route's declared one 403, and the declared role or
 * above gets past authorization (whatever the route then says of the made-up ids and empty bodies).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_ROLES, roleAllows, type AdminRole } from '../../worker/core/vocabulary.ts';
import { testApp } from '../helpers/app.ts';

const t = await testApp({ publishOnRead: false });
afterAll(() => t.close());

type Requirement = AdminRole | 'anyone';
const adminRoutes = t.http.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/admin/'));
/** Each route once, with the role its own handlers declare. */
const ROUTES = [...new Map(adminRoutes.map((r) => [`${r.method} ${r.path}`, r])).values()].map((r) => {
  const declared = adminRoutes
    .filter((other) => other.method === r.method && other.path === r.path)
    .map((other) => (other.handler as { requiredRole?: Requirement }).requiredRole)
    .filter(Boolean);
  return { method: r.method, path: r.path, declared };
});

const tokens = {} as Record<AdminRole, string>;
for (const role of ADMIN_ROLES) {
  const response = await t.request('/api/admin/tokens', { method: 'POST', json: { name: `walk ${role}`, role } });
  tokens[role] = ((await response.json()) as { token: string }).token;
}

const requestOf = (method: string, path: string, token: string | null) =>
  t.request(path.replace(/:(\w+)/g, 'no-such-$1'), {
    method,
    token,
    ...(method === 'GET' || method === 'DELETE' ? {} : { json: {} }),
    headers: { 'x-forwarded-for': '192.0.2.50' },
  });

describe('roles on every admin route', () => {
  it('finds the admin routes, and each declares exactly one role beside itself', () => {
    expect(ROUTES.length).toBeGreaterThan(30);
    for (const route of ROUTES) expect(route.declared, `${route.method} ${route.path}`).toHaveLength(1);
    // Spot checks of the roles the product promises.
    const role = (method: string, path: string) => ROUTES.find((r) => r.method === method && r.path === path)?.declared[0];
    expect(role('GET', '/api/admin/incidents')).toBe('viewer');
    expect(role('POST', '/api/admin/incidents')).toBe('editor');
    expect(role('GET', '/api/admin/reports/sla')).toBe('viewer');
    expect(role('POST', '/api/admin/accounts')).toBe('owner');
    expect(role('POST', '/api/admin/tokens')).toBe('owner');
    expect(role('GET', '/api/admin/audit')).toBe('owner');
    expect(role('POST', '/api/admin/session')).toBe('anyone');
  });

  for (const route of ROUTES) {
    it(`${route.method} ${route.path}`, async () => {
      const needed = route.declared[0]!;
      const anonymous = await requestOf(route.method, route.path, null);
      if (needed === 'anyone') expect(anonymous.status).not.toBe(403);
      else {
        expect(anonymous.status).toBe(401);
        expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
      }
      for (const role of ADMIN_ROLES) {
        const response = await requestOf(route.method, route.path, tokens[role]);
        const allowed = needed === 'anyone' || roleAllows(role, needed);
        if (allowed) expect([401, 403], `${role}: ${response.status}`).not.toContain(response.status);
        else {
          expect(response.status, role).toBe(403);
          expect(((await response.json()) as { error: { code: string } }).error.code).toBe('forbidden');
        }
      }
    });
  }
});
