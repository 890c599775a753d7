import { z } from 'zod';
import { IsoDate } from './dates.ts';
import { EntityBase, Text } from './entity.ts';

export const AgendaItem = EntityBase.extend({
  title: Text,
  done: z.boolean(),
});
export type AgendaItem = z.infer<typeof AgendaItem>;

export const Decision = EntityBase.extend({
  text: Text,
});
export type Decision = z.infer<typeof Decision>;

export const Task = EntityBase.extend({
  what: Text,
  who: Text,
  due: IsoDate.optional(),
  done: z.boolean(),
});
export type Task = z.infer<typeof Task>;

/** The default agenda of a Fallkonferenz (issue 3): message keys, filled in the user's language. */
export const DEFAULT_AGENDA = [
  'agenda.default.purpose',
  'agenda.default.progress',
  'agenda.default.deviations',
  'agenda.default.replanning',
  'agenda.default.dissent',
  'agenda.default.tasks',
  'agenda.default.nextReview',
] as const;
