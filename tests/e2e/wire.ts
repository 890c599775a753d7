import type { Page } from '@playwright/test';

/**
 * Records every message the page's WebRTC data channels receive, as latin1 and as UTF-8
 * (Yjs writes strings as UTF-8 inside binary updates), before any app code runs.
 */
export async function recordDataChannels(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const log: string[] = [];
    (window as unknown as { __received: string[] }).__received = log;
    const record = (data: unknown) => {
      let bytes: Uint8Array | null = null;
      if (typeof data === 'string') return void log.push(data);
      if (data instanceof ArrayBuffer) bytes = new Uint8Array(data);
      else if (ArrayBuffer.isView(data)) bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (!bytes) return;
      log.push(new TextDecoder('latin1').decode(bytes));
      log.push(new TextDecoder('utf-8').decode(bytes));
    };
    const proto = RTCDataChannel.prototype;
    const addEventListener = proto.addEventListener;
    proto.addEventListener = function (this: RTCDataChannel, type: string, listener: unknown, options?: unknown) {
      if (type === 'message' && typeof listener === 'function') {
        const inner = listener as (e: MessageEvent) => void;
        const wrapped = function (this: unknown, e: MessageEvent) {
          record(e.data);
          return inner.call(this, e);
        };
        return addEventListener.call(this, type, wrapped as EventListener, options as AddEventListenerOptions);
      }
      return addEventListener.call(this, type, listener as EventListener, options as AddEventListenerOptions);
    } as typeof proto.addEventListener;
    const descriptor = Object.getOwnPropertyDescriptor(proto, 'onmessage')!;
    Object.defineProperty(proto, 'onmessage', {
      configurable: true,
      get: descriptor.get,
      set(this: RTCDataChannel, handler: ((e: MessageEvent) => void) | null) {
        descriptor.set!.call(
          this,
          handler &&
            function (this: unknown, e: MessageEvent) {
              record(e.data);
              return handler.call(this as RTCDataChannel, e);
            },
        );
      },
    });
  });
}

export function received(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __received?: string[] }).__received ?? []);
}

