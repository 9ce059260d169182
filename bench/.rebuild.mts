import { openDatabase } from '/work/main/db/client.ts';
import { fixtureConfig, LARGE, seedFixture } from '/work/main/bench/fixtures/large.ts';
import { Publisher } from '/work/main/worker/publish/publisher.ts';
import { createLogger } from '/work/main/worker/lib/logger.ts';
import { DOCUMENT_SOURCES } from '/work/main/worker/publish/documents/index.ts';
import { loadPublishedState } from '/work/main/worker/status/read-model.ts';
const url = 'file:/tmp/pb/large.db';
const now = new Date();
const fs = await import('node:fs');
if (!fs.existsSync('/tmp/pb/large.db')) console.log(await seedFixture(url, LARGE, now));
const h = openDatabase(url);
const config = fixtureConfig(LARGE);
const p = new Publisher({ db: h.db, config, now: () => now, logger: createLogger('silent'), scheduled: true });
for (let i = 0; i < 3; i++) { const t = performance.now(); await p.rebuildNow(); console.log('rebuild', i, Math.round(performance.now() - t), 'ms'); }
const state = await loadPublishedState(h.db, now);
for (const e of DOCUMENT_SOURCES) { const s = e.build; const t = performance.now(); const docs = await s({ db: h.db, config, now, state }); const bytes = docs.reduce((a, d) => a + (typeof d.body === 'string' ? Buffer.byteLength(d.body) : d.body.length), 0); console.log(e.name, docs.length, 'docs', bytes, 'bytes', Math.round(performance.now() - t), 'ms'); }
const t = performance.now(); await loadPublishedState(h.db, now); console.log('loadPublishedState', Math.round(performance.now() - t), 'ms');

p.changed('x'); const t2 = performance.now(); await p.settled(); console.log('rebuild after a change (throttled sources reused)', Math.round(performance.now() - t2) - 200, 'ms');
