import { z } from 'zod';
import { EntityBase, Text } from './entity.ts';

/** Partner organisation types (domain guide section 5). */
export const PartnerType = z.enum([
  'schuldnerberatung',
  'suchtberatung',
  'psychosoziale_beratung',
  'sozialpsychiatrischer_dienst',
  'wohnungslosenhilfe',
  'jugendamt',
  'jugendmigrationsdienst',
  'bildungstraeger',
  'berufsschule',
  'arbeitgeber',
  'bewaehrungshilfe',
  'aerztlicher_dienst',
  'kinderbetreuung',
  'arbeitsvermittlung',
  'sonstige',
]);
export type PartnerType = z.infer<typeof PartnerType>;

export const Cooperation = z.enum(['koordiniert', 'individuell']);
export type Cooperation = z.infer<typeof Cooperation>;

export const Partner = EntityBase.extend({
  organisation: Text,
  type: PartnerType,
  contact: Text,
  cooperation: Cooperation,
  /** This organisation's help ends with the client's 25th birthday (U25-only services). */
  endsAt25: z.boolean().default(false),
});
export type Partner = z.infer<typeof Partner>;
