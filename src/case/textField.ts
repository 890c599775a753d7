import * as Y from 'yjs';

/** One retained-position edit: what a remote change did, so a caret can follow it. */
export type TextOp = { retain: number } | { insert: number } | { delete: number };

/** A collaborative plain-text field. The UI sees strings and ops, never Yjs. */
export interface TextField {
  value(): string;
  /** Replace the whole value; only the changed middle is written, so concurrent edits merge. */
  set(next: string): void;
  /** Called after every change with the new value, the ops, and whether it was local. */
  observe(listener: (value: string, ops: TextOp[], local: boolean) => void): () => void;
}

/** Minimal edit from `current` to `next`: common prefix and suffix stay untouched. */
export function diffMiddle(current: string, next: string): { index: number; remove: number; insert: string } {
  let start = 0;
  const max = Math.min(current.length, next.length);
  while (start < max && current.charCodeAt(start) === next.charCodeAt(start)) start++;
  let end = 0;
  while (
    end < max - start &&
    current.charCodeAt(current.length - 1 - end) === next.charCodeAt(next.length - 1 - end)
  ) {
    end++;
  }
  return { index: start, remove: current.length - start - end, insert: next.slice(start, next.length - end) };
}

/** Where a caret at `index` ends up after `ops` were applied before it. */
export function transformIndex(index: number, ops: readonly TextOp[]): number {
  let oldPos = 0;
  let shift = 0;
  for (const op of ops) {
    if (oldPos > index) break;
    if ('retain' in op) oldPos += op.retain;
    else if ('insert' in op) {
      // An insert exactly at the caret stays after it: the local typist keeps their place.
      if (oldPos < index) shift += op.insert;
    } else {
      if (oldPos < index) shift -= Math.min(op.delete, index - oldPos);
      oldPos += op.delete;
    }
  }
  return Math.max(0, index + shift);
}

export function yTextField(getText: () => Y.Text, origin: unknown): TextField {
  return {
    value: () => getText().toString(),
    set(next) {
      const text = getText();
      const { index, remove, insert } = diffMiddle(text.toString(), next);
      if (remove === 0 && insert === '') return;
      text.doc!.transact(() => {
        if (remove > 0) text.delete(index, remove);
        if (insert) text.insert(index, insert);
      }, origin);
    },
    observe(listener) {
      const text = getText();
      const handler = (event: Y.YTextEvent) => {
        const ops: TextOp[] = event.delta.map((d) =>
          d.retain !== undefined
            ? { retain: d.retain }
            : d.delete !== undefined
              ? { delete: d.delete }
              : { insert: typeof d.insert === 'string' ? d.insert.length : 1 },
        );
        listener(text.toString(), ops, event.transaction.local);
      };
      text.observe(handler);
      return () => text.unobserve(handler);
    },
  };
}
