/**
 * A list that gets more than this many new cards in one render (opening a large case, or a
 * large case arriving by sync) shows them first as previews: the cards' text fields and
 * facts, read-only, without pickers, buttons, agreements or history. The cards are built in
 * idle time, or at once when someone moves the focus into one. Fewer new cards (a small case,
 * one added goal) are built at once.
 */
export const LIGHT_FIRST_AFTER = 12;

/**
 * Remembers which ids a list has shown and tells, per render, which of the new ones start as a
 * preview: all of them when there are more than `threshold`, none otherwise. An id seen before
 * (a card moved, re-keyed, or removed and restored) is never a preview again.
 */
export function lightFirstBatches(threshold = LIGHT_FIRST_AFTER): (ids: readonly string[]) => ReadonlySet<string> {
  const known = new Set<string>();
  const none: ReadonlySet<string> = new Set();
  return (ids) => {
    const fresh = ids.filter((id) => !known.has(id));
    for (const id of fresh) known.add(id);
    return fresh.length > threshold ? new Set(fresh) : none;
  };
}
