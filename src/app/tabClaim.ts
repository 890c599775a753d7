import { z } from 'zod';

/**
 * One tab per case on a device. Two tabs editing the same case would each write every update
 * that reaches them (the same edit stored twice), each sit at the table as a separate peer
 * under the same person, and show each other's edits only after a reload. So the first tab
 * holds the case (a Web Lock, released by the browser when the tab goes away, also in a
 * crash); a second tab says so and offers to take the case over. Taking over asks the holder
 * (BroadcastChannel) to write what it still holds, close the case and let go; the lock then
 * passes to the new tab, which reads everything from storage.
 */

const PREFIX = 'runder-tisch/case/';

const Message = z.object({ type: z.literal('take-over') });

export interface CaseClaim {
  /** Lets the case go (the tab closed it, or handed it over). */
  release(): void;
  /** Another tab of this device wants the case. */
  onTakeOver(listener: () => void): () => void;
}

/** Browsers without Web Locks (old ones) keep the previous behaviour: every tab opens the case. */
const unguarded: CaseClaim = { release: () => undefined, onTakeOver: () => () => undefined };

/**
 * Claims the case for this tab: at once, or `null` while another tab holds it; with `wait`,
 * once the other tab has let go.
 */
export function claimCase(caseId: string, wait = false): Promise<CaseClaim | null> {
  const locks = globalThis.navigator?.locks;
  if (!locks || typeof BroadcastChannel === 'undefined') return Promise.resolve(unguarded);
  return new Promise((resolve, reject) => {
    let letGo!: () => void;
    const held = new Promise<void>((r) => (letGo = r));
    locks
      .request(PREFIX + caseId, wait ? {} : { ifAvailable: true }, async (lock) => {
        if (!lock) return resolve(null);
        const channel = new BroadcastChannel(PREFIX + caseId);
        const listeners = new Set<() => void>();
        channel.onmessage = (event: MessageEvent) => {
          if (Message.safeParse(event.data).success) listeners.forEach((l) => l());
        };
        resolve({
          release: () => {
            channel.close();
            letGo();
          },
          onTakeOver: (listener) => {
            listeners.add(listener);
            return () => listeners.delete(listener);
          },
        });
        await held;
      })
      .catch(reject);
  });
}

/** Asks the tab that holds the case to let it go. */
export function askForCase(caseId: string): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(PREFIX + caseId);
  channel.postMessage({ type: 'take-over' } satisfies z.infer<typeof Message>);
  channel.close();
}
