import { afterEach, expect, test, vi } from 'vitest';
import * as Y from 'yjs';
import { WebrtcProvider } from 'y-webrtc';
import '../../../src/sync/webrtcOnly.ts';

// Node has BroadcastChannel and WebCrypto, so y-webrtc's channel code runs as in a browser. No
// signaling server: only the channel is under test (WebRTC is covered by the e2e suite).

let provider: WebrtcProvider | null = null;
afterEach(() => {
  provider?.destroy();
  provider = null;
  vi.restoreAllMocks();
});

test('a connected room sends no edit and no caret move to the BroadcastChannel', async () => {
  const doc = new Y.Doc();
  provider = new WebrtcProvider(`webrtc-only-${crypto.randomUUID()}`, doc, { signaling: [], password: 'secret', filterBcConns: true });
  // The room exists once its key is derived from the password.
  await vi.waitFor(() => expect(provider!.room).not.toBeNull());
  const room = provider.room!;
  expect(room.bcconnected).toBe(false);

  // y-webrtc encrypts a message for the channel at once, in the update handler: with the
  // channel in use, each of these would call encrypt synchronously.
  const encrypt = vi.spyOn(crypto.subtle, 'encrypt');
  doc.getText('t').insert(0, 'Hallo');
  doc.getText('t').insert(5, ' Welt');
  provider.awareness.setLocalStateField('cursor', { at: 3 });
  expect(encrypt).not.toHaveBeenCalled();
});
