/**
 * Many providers' status pages on one fake server, each noting when it was asked: what the multi-worker stories poll,
 * and the config that watches them all (one component fed by every provider).
 */
import { TEST_CONFIG_YAML } from '../helpers/config.ts';
import type { UpstreamServer } from '../fakes/upstream-server.ts';
import { fixture } from '../upstream/support.ts';

const summary = fixture('incidentio-summary.json');

/** `p00`, `p01`, …: the providers' ids. */
export const providerIds = (count: number): string[] => Array.from({ length: count }, (_, i) => `p${String(i).padStart(2, '0')}`);

/**
 * Serves an incident.io summary for each provider under `/<id>`, with an ETag so a conditional poll gets a 304, and
 * notes in `asked` when each was asked (ms), in order.
 */
export function routeCountedProviders(upstream: UpstreamServer, ids: readonly string[], asked: Map<string, number[]>): void {
  for (const id of ids) {
    asked.set(id, []);
    upstream.route(`/${id}/api/v1/summary`, (req, res) => {
      asked.get(id)!.push(Date.now());
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, { ETag: '"v1"' }).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json', ETag: '"v1"' }).end(summary);
    });
  }
}

/** The test config watching those providers every `intervalMs`, as the one component `providers`; `extra` appended. */
export function countedProvidersConfig(upstream: string, ids: readonly string[], intervalMs: number, extra = ''): string {
  const base = TEST_CONFIG_YAML.replace(/^sources:\n.*\n/m, '').replace(', sources: [gws]', '');
  const sources = ids.map((id) => `  - { id: ${id}, name: Provider ${id}, type: incidentio, url: "${upstream}/${id}", interval: ${intervalMs / 1000}s }`).join('\n');
  return `${base.replace(/^components:\n/m, `components:\n  - { id: providers, name: Providers, sources: [${ids.join(', ')}] }\n`)}sources:\n${sources}\n${extra}`;
}
