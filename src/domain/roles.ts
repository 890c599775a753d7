import { z } from 'zod';

/** Who sits at the table (domain guide section 5). A display name is only a label. */
export const Role = z.enum([
  'fallmanager',
  'klient',
  'partner',
  'angehoerige',
  'betreuung',
  'dolmetscher',
  'nachfolge',
]);
export type Role = z.infer<typeof Role>;

export const ROLES: readonly Role[] = Role.options;
