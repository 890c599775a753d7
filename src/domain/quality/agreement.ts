import { activeGoals, item, label, live } from './helpers.ts';
import type { QualityInput, QualityItem } from './types.ts';

/**
 * The client accepted every goal: per goal and per participant in the client role, 'zugestimmt'
 * is fine, 'bedenkzeit' is amber (time to think is a right), 'abgelehnt' or no answer is red.
 */
export function checkClientAccepted(input: QualityInput): QualityItem[] {
  const clients = live(input.participants).filter((p) => p.role === 'klient');
  if (clients.length === 0) return [item('clientAccepted', 'amber', 'quality.clientAccepted.noClient')];
  const goals = activeGoals(input.goals);
  if (goals.length === 0) return [item('clientAccepted', 'green', 'quality.clientAccepted.nothing')];
  const out: QualityItem[] = [];
  for (const goal of goals) {
    for (const client of clients) {
      const answer = input.acceptances.find((a) => a.goalId === goal.id && a.participantId === client.id);
      if (answer?.state === 'zugestimmt') continue;
      const params = { title: label(goal.title), name: client.name };
      const target = { collection: 'goals', id: goal.id } as const;
      if (answer?.state === 'bedenkzeit') out.push(item('clientAccepted', 'amber', 'quality.clientAccepted.bedenkzeit', params, target));
      else if (answer?.state === 'abgelehnt') out.push(item('clientAccepted', 'red', 'quality.clientAccepted.declined', params, target));
      else out.push(item('clientAccepted', 'red', 'quality.clientAccepted.missing', params, target));
    }
  }
  return out.length > 0 ? out : [item('clientAccepted', 'green', 'quality.clientAccepted.ok')];
}

/** A recorded dissent is right; while it is open, it needs a look before the conference ends. */
export function checkOpenDissent(input: QualityInput): QualityItem[] {
  const goalIds = new Set(live(input.goals).map((g) => g.id));
  const open = live(input.dissents).filter((d) => d.resolvedAt === undefined);
  if (open.length === 0) return [item('openDissent', 'green', 'quality.openDissent.ok')];
  return open.map((d) =>
    item(
      'openDissent',
      'amber',
      'quality.openDissent.open',
      { text: label(d.text) },
      d.goalId !== undefined && goalIds.has(d.goalId) ? { collection: 'goals', id: d.goalId } : undefined,
    ),
  );
}
