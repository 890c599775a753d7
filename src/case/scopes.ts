import type { Domain } from '../domain/assessment.ts';
import type { ConsentTopic } from '../domain/consent.ts';
import { topicOfDomain, type ScopeId, type Visibility } from '../domain/visibility.ts';

/** The visibility an entity has by living in `scope` (the inverse of `scopeOf`). */
export function visibilityOfScope(scope: ScopeId): Visibility {
  if (scope === 'shared') return { kind: 'all' };
  if (scope === 'confidential') return { kind: 'confidential' };
  return { kind: 'topic', topic: scope.slice('topic:'.length) as ConsentTopic };
}

/**
 * Intimate domains (domain guide: health, justice and family details are shared with a
 * partner only with the client's consent for that topic): new assessment items of these
 * domains start restricted to their topic.
 */
export const INTIMATE_DOMAINS: readonly Domain[] = ['gesundheit', 'recht', 'familie'];

/** The scope a new assessment item of `domain` is created in, given the scopes held here. */
export function defaultScopeFor(domain: Domain, held: readonly ScopeId[]): ScopeId {
  const topic: ScopeId = `topic:${topicOfDomain(domain)}`;
  return INTIMATE_DOMAINS.includes(domain) && held.includes(topic) ? topic : 'shared';
}
