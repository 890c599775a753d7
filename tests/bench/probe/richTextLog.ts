import { now } from '../inpage/clock.ts';
import type { LengthLog } from '../inpage/lengthLog.ts';
import { createRichTextCounter } from './richTextLength.ts';

/**
 * Logs when the editor's DOM first holds each text length. A MutationObserver callback runs
 * right after the DOM change (a microtask), so no frame-rate quantisation enters the figure.
 * The time is taken before the length is counted, so counting costs nothing measured.
 */
export function startRichTextLog(log: LengthLog): void {
  const counter = createRichTextCounter();
  log.record(counter.count(null), now());
  new MutationObserver((records) => {
    const at = now();
    log.record(counter.count(records), at);
  }).observe(document, { subtree: true, childList: true, characterData: true });
}
