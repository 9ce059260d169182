/**
 * A plain HTTP health check: one GET, redirects not followed (a 3xx is an answer, and the default expected range
 * 200–399 accepts it). The result is one component:
 * - major_outage: no answer (timeout, refused, DNS…), a status outside the expected range, or the expected text
 *   missing from the body;
 * - degraded_performance: answered correctly but slower than `slowMs`;
 * - operational otherwise.
 * Unlike the other adapters, a failed fetch is the observation itself, not a failed poll.
 */
import { z } from 'zod';
import type { EndpointSpec } from '../endpoint.ts';
import type { FetchOptions, FetchResult } from '../fetch-result.ts';
import { toPlainLine } from '../sanitize.ts';
import type { ComponentState, PageIndicator } from '../../core/vocabulary.ts';
import type { ParseContext, UpstreamSnapshot } from '../types.ts';

export const httpCheckOptionsSchema = z
  .object({
    /** Inclusive range of acceptable status codes. */
    expectStatus: z
      .object({ min: z.number().int().min(100).max(599), max: z.number().int().min(100).max(599) })
      .refine((range) => range.min <= range.max, 'min must not exceed max')
      .default({ min: 200, max: 399 }),
    /** Text the body must contain (case-sensitive), e.g. "OK". */
    expectText: z.string().min(1).max(1000).optional(),
    /** Slower than this (whole response) reads as degraded. */
    slowMs: z.number().int().positive().default(5000),
    /** Component name; defaults to the host. */
    name: z.string().min(1).max(200).optional(),
  })
  .strict();
export type HttpCheckOptions = z.input<typeof httpCheckOptionsSchema>;

export function httpEndpoints(sourceUrl: string): EndpointSpec<'check'>[] {
  return [{ key: 'check', url: new URL(sourceUrl).href, required: true, expect: 'any' }];
}

/** The fetch settings a health check needs: any status is an answer, no redirects, a truncated body is fine. */
export const HTTP_CHECK_FETCH_OPTIONS: Partial<FetchOptions> = {
  acceptStatus: () => true,
  maxRedirects: 0,
  overflow: 'truncate',
  maxBytes: 1024 * 1024,
};

const INDICATOR: Readonly<Record<ComponentState, PageIndicator>> = {
  operational: 'none',
  degraded_performance: 'minor',
  partial_outage: 'major',
  major_outage: 'critical',
  under_maintenance: 'maintenance',
  unknown: 'unknown',
};

function verdict(result: FetchResult, options: z.output<typeof httpCheckOptionsSchema>): { state: ComponentState; reason: string } {
  if (!result.ok) return { state: 'major_outage', reason: `no answer: ${result.error.message}` };
  const { min, max } = options.expectStatus;
  if (result.status < min || result.status > max) {
    return { state: 'major_outage', reason: `HTTP ${result.status} (expected ${min}–${max})` };
  }
  if (options.expectText !== undefined && !result.body.includes(options.expectText)) {
    return { state: 'major_outage', reason: `HTTP ${result.status} but the expected text is missing` };
  }
  if (result.latencyMs > options.slowMs) {
    return { state: 'degraded_performance', reason: `HTTP ${result.status} in ${result.latencyMs} ms (slow over ${options.slowMs} ms)` };
  }
  return { state: 'operational', reason: `HTTP ${result.status} in ${result.latencyMs} ms` };
}

export function parseHttpCheck(result: FetchResult, ctx: ParseContext & { url: string }, options: HttpCheckOptions = {}): UpstreamSnapshot {
  const settings = httpCheckOptionsSchema.parse(options);
  const { state, reason } = verdict(result, settings);
  const name = settings.name ? toPlainLine(settings.name) : new URL(ctx.url).host;
  return {
    components: [{ upstreamId: 'http', name, state }],
    incidents: [],
    maintenances: [],
    pageStatus: { indicator: INDICATOR[state], description: reason },
    unknownWords: [],
    problems: [],
    probe: { status: result.ok ? result.status : (result.error.status ?? null), latencyMs: result.latencyMs, reason },
  };
}
