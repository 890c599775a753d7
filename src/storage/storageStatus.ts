export type PersistState = 'granted' | 'denied' | 'unsupported';

/**
 * Asks the browser not to evict this origin's data: for a local-first app the device copy
 * may be the only copy there is.
 */
export async function requestPersistentStorage(): Promise<PersistState> {
  const storage = globalThis.navigator?.storage;
  if (!storage?.persist) return 'unsupported';
  try {
    if (await storage.persisted()) return 'granted';
    return (await storage.persist()) ? 'granted' : 'denied';
  } catch {
    return 'denied';
  }
}
