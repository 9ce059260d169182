/**
 * Words no mapping table knows: the component reads unknown, the incident keeps a severity, the source lists the
 * raw word, and the log says so once.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUpstreamWatch } from '../../worker/upstream/scheduler.ts';
import { startUpstreamServer, type UpstreamServer } from '../fakes/upstream-server.ts';
import { serveStatuspage, sourceRow, statuspagePages, watchApp } from './watch-support.ts';

type Json = Record<string, any>;

let server: UpstreamServer;
let app: Awaited<ReturnType<typeof watchApp>>;
const lines: Json[] = [];

beforeEach(async () => {
  lines.length = 0;
  server = await startUpstreamServer();
  app = await watchApp({ sources: [{ id: 'genesys', type: 'statuspage', url: server.url }], components: [{ id: 'telefonia', sources: ['genesys'] }] });
});
afterEach(async () => {
  await app.close();
  await server.close();
});

function pagesWithUnknownWords() {
  const pages = statuspagePages();
  for (const c of pages.summary.components as Json[]) c.status = 'operational';
  (pages.summary.components as Json[])[1]!.status = 'brownout';
  const open = (pages.summary.incidents as Json[])[0]!;
  Object.assign(open, { impact: 'catastrophic', components: [] });
  pages.incidents.incidents = [];
  return pages;
}

describe('unknown upstream words', () => {
  it('read as unknown, never as operational; listed on the source and logged once at warn', async () => {
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk)) as Json), done()) }));
    const watch = createUpstreamWatch({ ...app.ctx, logger }, { random: () => 0.5 });
    const cycle = async () => {
      await watch.tick();
      await watch.idle();
    };
    serveStatuspage(server, pagesWithUnknownWords());
    await cycle();
    const source = await sourceRow(app.database.db, 'genesys');
    expect([...source.unknownWords].sort()).toEqual(['brownout', 'catastrophic']);
    expect(source.state).toBe('unknown');
    const { incidents } = (await (await app.request('/api/v2/incidents/unresolved.json')).json()) as { incidents: Json[] };
    // No known word decides the severity: a new incident is recorded at 4.
    expect(incidents[0]).toMatchObject({ severity: 4 });
    const warned = () => lines.filter((l) => l.level === 40 && l.msg === 'upstream word not in the mapping tables: read as unknown').map((l) => l.word);
    expect(warned().sort()).toEqual(['brownout', 'catastrophic']);

    // The page changes but says the same odd words: nothing new to log.
    const again = pagesWithUnknownWords();
    (again.summary.incidents as Json[])[0]!.name = 'Calls failing (renamed)';
    serveStatuspage(server, again);
    app.clock.advance(60_000);
    await cycle();
    expect(warned().sort()).toEqual(['brownout', 'catastrophic']);
    await watch.stop();

    const { components } = (await (await app.request('/api/v2/components.json')).json()) as { components: Json[] };
    expect(components.find((c) => c.id === 'telefonia')).toMatchObject({ status: 'operational', state: 'unknown' });
  });
});
