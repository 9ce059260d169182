// Ad-hoc timing (not committed): 100 components, 5,000 incidents over 90 days; publisher rebuild and site build.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseConfigText } from '../worker/config/load.ts';
import { startVigia } from '../worker/server.ts';
import { openDatabase } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { syncConfigToDatabase } from '../worker/store/sync-config.ts';
import { incidents, incidentComponents, incidentUpdates } from '../db/schema/index.ts';
import { seededRandom } from '../test/helpers/prng.ts';

const now = new Date('2026-11-20T17:00:00Z');
const comps = Array.from({ length: 100 }, (_, i) => `  - { id: c${i}, name: Componente ${i}, group: Grupo ${i % 10} }`).join('\n');
const config = parseConfigText(`site:\n  name: Bench\n  url: https://status.example\n  timezone: America/Bogota\nadmins:\n  - { email: a@example.com }\ncomponents:\n${comps}\n`);
const dir = mkdtempSync(join(tmpdir(), 'vigia-hist-'));
const url = `file:${join(dir, 'v.db')}`;
const h = openDatabase(url);
await migrateDatabase(h.db);
await syncConfigToDatabase(h.db, config, new Date('2026-07-01T00:00:00Z'));
const random = seededRandom(7);
const rows = [], links = [], updates = [];
for (let i = 0; i < 5000; i++) {
  const start = now.getTime() - Math.floor(random() * 90 * 86_400_000);
  const end = Math.min(now.getTime(), start + Math.floor(random() * 6 * 3_600_000));
  const sev = 1 + Math.floor(random() * 4);
  const id = `inc${i}`;
  rows.push({ id, title: `Incidente ${i}`, status: 'resolved', severity: sev, startedAt: new Date(start), createdAt: new Date(start), updatedAt: new Date(end), resolvedAt: new Date(end), respondedAt: new Date(start) });
  links.push({ incidentId: id, componentId: `c${Math.floor(random() * 100)}`, status: 'partial_outage', position: 0 });
  updates.push({ id: `${id}-u1`, incidentId: id, status: 'investigating', body: 'Investigamos una falla en el servicio.', createdAt: new Date(start), author: 'staff' });
  updates.push({ id: `${id}-u2`, incidentId: id, status: 'resolved', body: 'El servicio funciona con normalidad.', createdAt: new Date(end), author: 'staff' });
}
for (let k = 0; k < rows.length; k += 500) {
  await h.db.insert(incidents).values(rows.slice(k, k + 500));
  await h.db.insert(incidentComponents).values(links.slice(k, k + 500));
  await h.db.insert(incidentUpdates).values(updates.slice(2 * k, 2 * k + 1000));
}
h.close();
const t0 = performance.now();
const vigia = await startVigia({ config, now: () => now, env: { PORT: '0', HOST: '127.0.0.1', DATABASE_URL: url, VIGIA_DATA_DIR: dir, VIGIA_JOBS: '0', LOG_LEVEL: 'warn', ADMIN_TOKEN: 'x'.repeat(20) } });
console.log('start (incl. first publish + site build)', Math.round(performance.now() - t0), 'ms; publisher rebuild', vigia.publisher.lastRebuild);
const t1 = performance.now();
await vigia.publisher.rebuildNow();
console.log('publisher rebuild', Math.round(performance.now() - t1), 'ms');
const t2 = performance.now();
await vigia.site!.build('bench');
console.log('site build', Math.round(performance.now() - t2), 'ms');
for (const p of ['/api/uptime.json', '/api/history.json', '/api/history/2026-11.json', '/']) {
  const r = await fetch(vigia.url + p, { headers: { 'accept-encoding': 'br' } });
  console.log(p, r.status, (await r.arrayBuffer()).byteLength, 'bytes br');
}
await vigia.close();
console.log(dir);
