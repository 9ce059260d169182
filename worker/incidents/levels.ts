/**
 * Which severity level an admin's write gives an incident: the `severity` it names, or the cell of the policy's
 * priority × impact matrix that `priority` and `impact` name. Pure: it reads the compiled policy only.
 */
import type { Config } from '../config/load.ts';
import { invalidFields } from '../core/errors.ts';
import type { Severity } from '../core/vocabulary.ts';
import { cellOfLevel, levelOfCell } from '../sla/index.ts';
import { COMPONENT_STATUS_BY_IMPACT, IMPACT_BY_SEVERITY } from '../status/vocabulary.ts';
import { severityPolicy } from './targets.ts';

export interface LevelInput {
  severity?: number | undefined;
  priority?: string | undefined;
  impact?: string | undefined;
}

/** Every level the policy declares, its regions' included, in order. */
export function policyLevels(config: Config): number[] {
  const levels = new Set([...config.policy.severities, ...config.policy.regions.flatMap((r) => r.severities)].map((s) => s.level));
  return [...levels].sort((a, b) => a - b);
}

const listed = (values: readonly (string | number)[]) =>
  values.length === 1 ? String(values[0]) : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;

/**
 * The level a write asks for, or undefined when it names none. With a matrix, a priority or an impact alone keeps
 * the other from `current` (the incident's level now). Also says, for the severity history, which cell changed.
 * @throws InvalidInputError naming the field: an unknown level, priority or impact, a policy without a matrix, or a
 * severity that disagrees with the cell.
 */
export function requestedLevel(config: Config, input: LevelInput, current?: number): { level: Severity; cellChange: string | null } | undefined {
  const { matrix } = config.policy;
  const levels = policyLevels(config);
  if (input.priority === undefined && input.impact === undefined) {
    if (input.severity === undefined) return undefined;
    if (!levels.includes(input.severity)) throw invalidFields('body', [{ field: 'severity', message: `must be a severity ${listed(levels)} (the policy's levels)` }]);
    return { level: input.severity as Severity, cellChange: null };
  }
  const field = input.priority !== undefined ? 'priority' : 'impact';
  if (!matrix) throw invalidFields('body', [{ field, message: 'the policy has no priority × impact matrix: give a severity' }]);
  const now = current === undefined ? null : cellOfLevel(matrix, current);
  const priority = input.priority ?? now?.priority;
  const impact = input.impact ?? now?.impact;
  if (priority === undefined) throw invalidFields('body', [{ field: 'priority', message: `is required with an impact (one of ${listed(matrix.priorities.map((p) => p.id))})` }]);
  if (impact === undefined) throw invalidFields('body', [{ field: 'impact', message: `is required with a priority (one of ${listed(matrix.impacts.map((i) => i.id))})` }]);
  if (!matrix.priorities.some((p) => p.id === priority)) throw invalidFields('body', [{ field: 'priority', message: `must be one of ${listed(matrix.priorities.map((p) => p.id))}` }]);
  if (!matrix.impacts.some((i) => i.id === impact)) throw invalidFields('body', [{ field: 'impact', message: `must be one of ${listed(matrix.impacts.map((i) => i.id))}` }]);
  const level = levelOfCell(matrix, priority, impact)!;
  if (input.severity !== undefined && input.severity !== level) {
    throw invalidFields('body', [{ field: 'severity', message: `is ${input.severity}, but priority ${priority} with impact ${impact} is severity ${level}; give one or the other` }]);
  }
  const changes = [now?.priority !== priority ? `priority ${now ? `${now.priority} → ` : ''}${priority}` : null, now?.impact !== impact ? `impact ${now ? `${now.impact} → ` : ''}${impact}` : null].filter(Boolean);
  return { level: level as Severity, cellChange: changes.length ? changes.join(', ') : null };
}

/** The state a level puts the components it names in when the admin does not say: by the level's Statuspage impact. */
export const impliedComponentStatus = (config: Config) => (level: Severity) =>
  COMPONENT_STATUS_BY_IMPACT[severityPolicy(config, level)?.statuspageImpact ?? IMPACT_BY_SEVERITY[level]];

/** The matrix cell of an incident's level, for admins; absent when the policy is not a matrix. */
export function incidentCell(config: Config, level: number): { priority: string; impact: string } | null {
  return config.policy.matrix ? cellOfLevel(config.policy.matrix, level) : null;
}
