import type { BrowserContext } from '@playwright/test';
import { deriveRoomKey, openSignal } from './sealedSignal.ts';

/**
 * Sits between each page and our signaling server (Playwright's WebSocket routing) and, once
 * armed for a room, makes two peers start a WebRTC handshake to each other at the same moment,
 * as happens by chance when one reloads: its fresh announce reaches the other while the other's
 * announce (sent because the old connection closed) reaches it. Every signal of the room is held
 * back a while, so both offers are made before either arrives; the announce the other side would
 * have sent is replayed from the one it sent earlier. Reads the room's messages with its key,
 * as any admitted device could; forges nothing.
 */
export class GlareRelay {
  #armed: { topic: string; key: CryptoKey } | null = null;
  /** The last announce of the armed room each page sent, as sent (encrypted, base64). */
  #announces = new Map<BrowserContext, string>();
  /** The page side of each context's signaling sockets. */
  #toPage = new Map<BrowserContext, Set<(message: string) => void>>();
  /** How many of each kind of signal were held back (the test checks the relay did its part). */
  readonly held = { announceReplayed: 0, offers: 0 };

  static readonly HOLD_MS = 1500;

  async route(context: BrowserContext): Promise<void> {
    await context.routeWebSocket(/\/signal$/, (ws) => {
      const server = ws.connectToServer();
      const senders = this.#toPage.get(context) ?? new Set();
      this.#toPage.set(context, senders);
      const toPage = (message: string) => ws.send(message);
      senders.add(toPage);
      ws.onClose(() => senders.delete(toPage));
      server.onMessage((message) => ws.send(message));
      // One at a time, so nothing overtakes what the page sent before it (a subscribe its publish).
      let queue = Promise.resolve();
      ws.onMessage((message) => {
        queue = queue.then(async () => {
          const delay = typeof message === 'string' ? await this.#fromPage(context, message) : 0;
          if (delay === 0) server.send(message);
          else setTimeout(() => server.send(message), delay);
        });
      });
    });
  }

  /** Every page's publishes, encrypted, until the relay is armed and can read them. */
  #published: { context: BrowserContext; topic: string; data: string }[] = [];

  /** From now on, handshakes in this y-webrtc room (id and password) are made to collide. */
  async arm(roomId: string, password: string): Promise<void> {
    const key = await deriveRoomKey(password, roomId);
    // The pages announced themselves before: those announces are what gets replayed.
    for (const sent of this.#published.filter((p) => p.topic === roomId)) {
      const data = (await openSignal(sent.data, key)) as { type?: string };
      if (data.type === 'announce') this.#announces.set(sent.context, sent.data);
    }
    this.#armed = { topic: roomId, key };
  }

  /** Milliseconds to hold the page's message back; replays the other's announce when it announces. */
  async #fromPage(context: BrowserContext, message: string): Promise<number> {
    const armed = this.#armed;
    const frame = JSON.parse(message) as { type?: string; topic?: string; data?: string };
    if (!armed && frame.type === 'publish' && typeof frame.topic === 'string' && typeof frame.data === 'string') {
      this.#published.push({ context, topic: frame.topic, data: frame.data });
    }
    if (!armed || frame.type !== 'publish' || frame.topic !== armed.topic || typeof frame.data !== 'string') return 0;
    const data = (await openSignal(frame.data, armed.key)) as { type?: string; signal?: { type?: string } };
    if (data.type === 'announce') {
      this.#announces.set(context, frame.data);
      for (const [other, announce] of this.#announces) {
        if (other === context) continue;
        this.held.announceReplayed++;
        const replay = JSON.stringify({ type: 'publish', topic: armed.topic, data: announce, clients: 2 });
        for (const send of this.#toPage.get(context) ?? []) send(replay);
      }
      return 0;
    }
    if (data.type !== 'signal') return 0;
    if (data.signal?.type === 'offer') this.held.offers++;
    // Every signal, in order: candidates must not overtake their offer.
    return GlareRelay.HOLD_MS;
  }
}
