import * as Y from 'yjs';
import { updateIn } from './syncMessage.ts';

/**
 * Whether `update`, applied to `doc`, adds nothing but items of the `allowed` root types.
 * Tried on a copy (a beacon's document is small), which must then hold no other root type and
 * nothing waiting for items it lacks (a case edit refers to the case's items).
 */
export function touchesOnly(doc: Y.Doc, update: Uint8Array, allowed: readonly string[]): boolean {
  const copy = new Y.Doc({ gc: false });
  try {
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    Y.applyUpdate(copy, update);
    const store = copy.store;
    return [...copy.share.keys()].every((k) => allowed.includes(k)) && store.pendingStructs === null && store.pendingDs === null;
  } catch {
    return false;
  } finally {
    copy.destroy();
  }
}

/**
 * For a connection's message handler (chunkedTransport.ts): a peer's document update is let
 * through only if it touches nothing but the `allowed` root types; all else passes as it is.
 */
export function onlyRoots(doc: Y.Doc, allowed: readonly string[]): (message: Uint8Array) => boolean {
  return (message) => {
    const found = updateIn(message);
    if (found === null) return true;
    return found !== 'malformed' && touchesOnly(doc, found.update, allowed);
  };
}
