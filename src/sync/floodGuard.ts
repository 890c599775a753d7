/**
 * What one peer may send over its data channel before this device stops listening to it for a
 * while. Everything a device at the table sends (its own edits, the ones it relays, carets,
 * the whole case in 64 KiB chunks when someone joins) stays far below; a broken or hostile
 * client sending updates as fast as it can does not, and without a limit every other device
 * would apply, store and draw each of them and become unusable for its person.
 */
export interface FloodLimits {
  /** Messages (data-channel frames) at once, and per second after that. */
  burstMessages: number;
  messagesPerSecond: number;
  /** Bytes at once (a late joiner receives the whole case), and per second after that. */
  burstBytes: number;
  bytesPerSecond: number;
}

export const FLOOD_LIMITS: FloodLimits = {
  // Eight people typing, relayed in a partial mesh, with their carets: well under 100 a second.
  burstMessages: 300,
  messagesPerSecond: 150,
  burstBytes: 64 * 1024 * 1024,
  bytesPerSecond: 8 * 1024 * 1024,
};

/** How long a peer that exceeded its budget is not connected to again. */
export const FLOOD_COOLDOWN_MS = 60_000;

/** A token bucket in messages and bytes: `take` says whether one more frame is within budget. */
export class FloodBucket {
  #messages: number;
  #bytes: number;
  #at: number;

  constructor(
    private readonly limits: FloodLimits = FLOOD_LIMITS,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#messages = limits.burstMessages;
    this.#bytes = limits.burstBytes;
    this.#at = now();
  }

  /**
   * Time this device spent handling what the peer sent does not refill the bucket. Otherwise a
   * page slowed down by the flood itself would earn new budget while it works through it: it
   * takes the next message only after the last one is applied, so wall time alone always
   * looks like a calm sender.
   */
  spent(ms: number): void {
    if (ms > 0) this.#at += ms;
  }

  take(bytes: number): boolean {
    const t = this.now();
    const seconds = Math.max(0, t - this.#at) / 1000;
    this.#at = t;
    this.#messages = Math.min(this.limits.burstMessages, this.#messages + seconds * this.limits.messagesPerSecond);
    this.#bytes = Math.min(this.limits.burstBytes, this.#bytes + seconds * this.limits.bytesPerSecond);
    if (this.#messages < 1 || this.#bytes < bytes) return false;
    this.#messages -= 1;
    this.#bytes -= bytes;
    return true;
  }
}
