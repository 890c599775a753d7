import * as Y from 'yjs';
import type { WebrtcProvider } from 'y-webrtc';
import type { BenchWindow, SyncPage } from '../inpage/api.ts';
import { fromBase64 } from '../inpage/base64.ts';
import { now } from '../inpage/clock.ts';
import { docCounts, hasAll } from './docCounts.ts';
import { joinRoom, peersOf } from './room.ts';

let provider: WebrtcProvider | null = null;

const page: SyncPage = {
  host(stateBase64, room, password) {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, fromBase64(stateBase64));
    provider = joinRoom(doc, room, password);
  },
  join(room, password, expected, timeoutMs) {
    const doc = new Y.Doc();
    return new Promise((resolve, reject) => {
      const t0 = now();
      const timer = setTimeout(
        () => reject(new Error(`sync incomplete after ${timeoutMs} ms: ${JSON.stringify(docCounts(doc))}`)),
        timeoutMs,
      );
      doc.on('update', () => {
        if (!hasAll(doc, expected)) return;
        const t1 = now();
        clearTimeout(timer);
        resolve({ t0, t1 });
      });
      provider = joinRoom(doc, room, password);
    });
  },
  peers: () => peersOf(provider),
};
(window as unknown as BenchWindow<SyncPage>).__bench = page;
