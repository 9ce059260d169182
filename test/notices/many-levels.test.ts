import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfigText, type Config } from '../../worker/config/load.ts';
import { EVERY_SEVERITY } from '../../worker/core/vocabulary.ts';
import { syncTeamChannels } from '../../worker/subscribers/team-channels.ts';
import { testApp } from '../helpers/app.ts';
import { insertSubscriber, outboxRows } from './fixtures.ts';

/** The web agency's priority × impact matrix (nine levels), with two team channels: one names no min_severity. */
function matrixWithTeamChannels(): Config {
  const file = readFileSync(join(import.meta.dirname, '../../examples/policies/agencia-web-matriz.yaml'), 'utf8');
  return parseConfigText(`${file}
notifications:
  team_channels:
    - { channel: slack, url: "https://hooks.slack.com/services/T/B/todo" }
    - { channel: slack, url: "https://hooks.slack.com/services/T/B/criticos", min_severity: 1 }
`);
}

describe('incident notices under a policy of more than four levels', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  afterEach(() => t.close());

  it('a level-5 incident (media · medio impacto) reaches who asked for every incident, not who asked only for critical ones', async () => {
    const config = matrixWithTeamChannels();
    t = await testApp({ config, now: '2026-11-20T19:30:00Z' });
    const db = t.database.db;
    await syncTeamChannels(db, config, [null, null], new Date('2026-11-20T19:30:00Z'));
    await insertSubscriber(db, { email: 'todo@cliente.example', incidentNotices: true, minSeverity: EVERY_SEVERITY });
    await insertSubscriber(db, { email: 'solo-criticos@cliente.example', incidentNotices: true, minSeverity: 1 });
    // Up to "media · alto impacto" (level 4): level 5 is beyond what it asked for.
    await insertSubscriber(db, { email: 'hasta-4@cliente.example', incidentNotices: true, minSeverity: 4 });
    await insertSubscriber(db, { email: 'hasta-5@cliente.example', incidentNotices: true, minSeverity: 5 });

    const res = await t.request('/api/admin/incidents', {
      method: 'POST',
      json: { title: 'Formulario de contacto caído', priority: 'media', impact: 'medio', message: 'Revisando.', components: ['formularios'] },
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { incident: { severity: number } }).incident.severity).toBe(5);

    const rows = await outboxRows(db, { kind: 'incident.opened' });
    expect(rows.filter((r) => r.channel === 'email').map((r) => r.target).sort()).toEqual(['hasta-5@cliente.example', 'todo@cliente.example']);
    // The team channel that names no min_severity gets every incident; the one for critical ones does not.
    expect(config.notifications.team_channels[0]!.min_severity).toBe(EVERY_SEVERITY);
    expect(rows.filter((r) => r.channel === 'slack').map((r) => r.target)).toEqual(['https://hooks.slack.com/services/T/B/todo']);
  });
});
