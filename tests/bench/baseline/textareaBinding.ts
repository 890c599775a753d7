import type * as Y from 'yjs';

/**
 * The smallest useful binding of a textarea to a Y.Text: local input becomes one transaction,
 * a remote change rewrites the value. `onRemoteWrite` runs right after the DOM was written,
 * which is the baseline's "visible" moment.
 */
export function bindTextarea(area: HTMLTextAreaElement, text: Y.Text, onRemoteWrite: (length: number) => void): void {
  const origin = Symbol('textarea');
  area.addEventListener('input', () => {
    const before = text.toString();
    const after = area.value;
    let start = 0;
    while (start < before.length && start < after.length && before[start] === after[start]) start++;
    let end = 0;
    while (
      end < before.length - start &&
      end < after.length - start &&
      before[before.length - 1 - end] === after[after.length - 1 - end]
    ) {
      end++;
    }
    text.doc!.transact(() => {
      if (before.length - start - end > 0) text.delete(start, before.length - start - end);
      if (after.length - start - end > 0) text.insert(start, after.slice(start, after.length - end));
    }, origin);
  });
  text.observe((event) => {
    if (event.transaction.origin === origin) return;
    area.value = text.toString();
    onRemoteWrite(area.value.length);
  });
}
