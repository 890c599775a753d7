import { t } from '../../i18n/index.svelte.ts';
import { visibilityOfScope } from '../../case/scopes.ts';
import type { ScopeId } from '../../domain/visibility.ts';
import { topicLabel } from './consent/labels.ts';

/** The lock line of an entry that not everyone sees; empty for an entry everyone sees. */
export function visibilityBadge(scope: ScopeId): string {
  const visibility = visibilityOfScope(scope);
  if (visibility.kind === 'confidential') return t('visibility.badge.confidential');
  if (visibility.kind === 'topic') return t('visibility.badge.topic', { topic: topicLabel(visibility.topic) });
  return '';
}
