import { now } from '../inpage/clock.ts';
import type { LengthLog } from '../inpage/lengthLog.ts';
import { watchEditorWrites } from './editorWrites.ts';
import { createRichTextCounter } from './richTextLength.ts';

/**
 * Logs when the editor's DOM first holds each text length: into `log` the time of the DOM
 * write itself (editorWrites.ts), into `taskEnd` the time the MutationObserver reports it, at
 * the end of the task that wrote. Both are taken before the length is counted, so counting
 * costs nothing measured; neither waits for a frame. The DOM writes are watched from here on
 * only, so the other figures (cold open, late join) run without the wrappers.
 */
export function startRichTextLog(log: LengthLog, taskEnd: LengthLog): void {
  const writes = watchEditorWrites();
  const counter = createRichTextCounter();
  const length = counter.count(null);
  log.record(length, now());
  taskEnd.record(length, now());
  new MutationObserver((records) => {
    const at = now();
    const written = writes.take();
    const length = counter.count(records);
    log.record(length, written ?? at);
    taskEnd.record(length, at);
  }).observe(document, { subtree: true, childList: true, characterData: true, characterDataOldValue: true });
}
