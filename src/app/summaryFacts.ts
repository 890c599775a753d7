import type { CaseSummary } from '../domain/dashboard.ts';

/*
 * Kept apart from caseSummary.ts, which reads case documents: the case list imports this
 * module and must not pull the document code (Yjs) into the start page.
 */

/** What this tab last worked out per case, ahead of its write landing in IndexedDB. */
export interface FreshFacts {
  summary?: CaseSummary;
  lastConferenceAt?: number;
}
const fresh = new Map<string, FreshFacts>();
const listeners = new Set<() => void>();

/**
 * The newest facts of a case this tab knows: the case list, shown right after a case was
 * left, may have read the records before the summary written on the way out landed.
 */
export function freshFacts(caseId: string): FreshFacts | undefined {
  return fresh.get(caseId);
}

/** Called whenever freshFacts has something new. */
export function onFreshFacts(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function remember(caseId: string, facts: FreshFacts): void {
  fresh.set(caseId, { ...fresh.get(caseId), ...facts });
  listeners.forEach((l) => l());
}
