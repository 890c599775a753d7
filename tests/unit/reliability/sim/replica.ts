import * as Y from 'yjs';
import { CaseDocument } from '../../../../src/case/caseDocument.ts';

/** Origin of updates that arrived from another replica (never sent on by the receiver). */
export const REMOTE = Symbol('remote');

/**
 * One participant's copy of the case: a Y.Doc behind the real case API. A reload replaces the
 * document by one loaded from the old one's encoded state, with a new Yjs client id, as the
 * app does after a restart (its IndexedDB holds the same state).
 */
export class Replica {
  doc!: Y.Doc;
  caseDoc!: CaseDocument;
  online = true;
  /** Called with every update this replica makes itself (to be sent to linked peers). */
  onLocalUpdate: (update: Uint8Array) => void = () => {};

  constructor(
    readonly index: number,
    state: Uint8Array,
    clientId: number,
  ) {
    this.#load(state, clientId);
  }

  reload(clientId: number): void {
    const state = Y.encodeStateAsUpdate(this.doc);
    this.caseDoc.destroy();
    this.doc.destroy();
    this.#load(state, clientId);
  }

  #load(state: Uint8Array, clientId: number): void {
    const doc = new Y.Doc();
    doc.clientID = clientId;
    Y.applyUpdate(doc, state, REMOTE);
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE) this.onLocalUpdate(update);
    });
    this.doc = doc;
    this.caseDoc = new CaseDocument(doc);
  }
}
