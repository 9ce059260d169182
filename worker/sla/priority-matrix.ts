/**
 * Priority × impact: a policy whose levels are the cells of a matrix. An incident is given a priority and an
 * impact and its level follows; since each level is one cell, the level also says which priority and impact it was.
 */
import type { LocalizedText } from './severity-policy.ts';

export interface MatrixAxisValue {
  readonly id: string;
  readonly name: LocalizedText;
}

export interface PriorityMatrix {
  /** Most urgent first, as the policy lists them. */
  readonly priorities: readonly MatrixAxisValue[];
  /** Widest impact first, as the policy lists them. */
  readonly impacts: readonly MatrixAxisValue[];
  /** `levels[priority][impact]`: the severity level of each cell. */
  readonly levels: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** The level of a cell, or null when the priority or the impact is not one of the matrix's. */
export function levelOfCell(matrix: PriorityMatrix, priority: string, impact: string): number | null {
  return matrix.levels[priority]?.[impact] ?? null;
}

/** The cell a level is, or null when the level is not a cell of the matrix. */
export function cellOfLevel(matrix: PriorityMatrix, level: number): { priority: string; impact: string } | null {
  for (const priority of matrix.priorities) {
    for (const impact of matrix.impacts) if (matrix.levels[priority.id]?.[impact.id] === level) return { priority: priority.id, impact: impact.id };
  }
  return null;
}
