// What a contract promises: response and resolution targets per priority, and how impact and urgency
// combine into a priority.
import { z } from 'zod';
import { IMPACTS, type Impact, PRIORITIES, type Priority, URGENCIES, type Urgency } from './model.ts';

const minutes = z.number().int().positive().max(525_600);
const target = z
  .object({ firstResponse: minutes, resolution: minutes })
  .refine((t) => t.firstResponse <= t.resolution, {
    message: 'first response target must not exceed the resolution target',
  });

export const slaTargetsSchema = z.object({ P1: target, P2: target, P3: target, P4: target });
/** Business minutes per priority: how soon we answer and how soon we solve. */
export type SlaTargets = z.infer<typeof slaTargetsSchema>;

const priority = z.enum(PRIORITIES);
const byUrgency = z.object({ low: priority, medium: priority, high: priority });
export const priorityMatrixSchema = z.object({
  person: byUrgency,
  department: byUrgency,
  company: byUrgency,
});
/** impact → urgency → priority. */
export type PriorityMatrix = z.infer<typeof priorityMatrixSchema>;

/** The usual ITIL 3×3 matrix folded onto four priorities. */
export const DEFAULT_PRIORITY_MATRIX: PriorityMatrix = {
  company: { high: 'P1', medium: 'P2', low: 'P3' },
  department: { high: 'P2', medium: 'P3', low: 'P4' },
  person: { high: 'P3', medium: 'P4', low: 'P4' },
};

export const DEFAULT_SLA_TARGETS: SlaTargets = {
  P1: { firstResponse: 15, resolution: 240 },
  P2: { firstResponse: 30, resolution: 480 },
  P3: { firstResponse: 120, resolution: 1440 },
  P4: { firstResponse: 480, resolution: 2880 },
};

export function priorityFor(matrix: PriorityMatrix, impact: Impact, urgency: Urgency): Priority {
  return matrix[impact][urgency];
}

export { IMPACTS, URGENCIES };
