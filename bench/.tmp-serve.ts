import { parseConfigText } from '../worker/config/load.ts';
import { startVigia } from '../worker/server.ts';
const now = new Date('2026-11-20T17:00:00Z');
const comps = Array.from({ length: 100 }, (_, i) => `  - { id: c${i}, name: Componente ${i}, group: Grupo ${i % 10} }`).join('\n');
const config = parseConfigText(`site:\n  name: Bench\n  url: https://status.example\n  timezone: America/Bogota\nadmins:\n  - { email: a@example.com }\ncomponents:\n${comps}\n`);
const dir = process.argv[2]!;
const vigia = await startVigia({ config, now: () => now, env: { PORT: '4399', HOST: '127.0.0.1', DATABASE_URL: `file:${dir}/v.db`, VIGIA_DATA_DIR: dir, VIGIA_JOBS: '0', VIGIA_BUILD_SITE: '0', LOG_LEVEL: 'warn', ADMIN_TOKEN: 'x'.repeat(20) } });
console.log('ready', vigia.url);
