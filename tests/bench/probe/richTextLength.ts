/**
 * Characters in the first Tiptap editor, without remote carets: ProseMirror renders widgets
 * (CollaborationCaret's name labels) with contenteditable=false, and those are not text.
 */
export function richTextLength(): number {
  const editor = document.querySelector('.rich-text-content');
  return editor ? blockLength(editor) : -1;
}

/** The text of `node` without what sits in contenteditable=false widgets inside it. */
function blockLength(node: Node): number {
  if (node.nodeType === Node.TEXT_NODE) return node.nodeValue?.length ?? 0;
  if (!(node instanceof Element)) return 0;
  let length = node.textContent?.length ?? 0;
  for (const widget of node.querySelectorAll('[contenteditable="false"]')) {
    // Only the outermost widget counts; its text includes that of widgets inside it.
    const outer = widget.parentElement?.closest('[contenteditable="false"]');
    if (outer && node.contains(outer)) continue;
    length -= widget.textContent?.length ?? 0;
  }
  return length;
}

/**
 * The same count, kept up to date from mutation records: a changed text node moves the total by
 * its own change, a block with other changes is counted again, and all blocks only when blocks
 * were added or removed. Counting the whole text on every mutation, and later walking a changed
 * block's text nodes one by one (each asked whether it sits in a widget), cost each receiver up
 * to a tenth of its script time per keystroke, on the same two cores the measured pages share;
 * the figure is about the app, not the probe. The baseline's textarea reports its length in O(1).
 */
export function createRichTextCounter(): { count(records: readonly MutationRecord[] | null): number } {
  let editor: Element | null = null;
  let blocks = new WeakMap<Node, number>();
  let total = 0;
  const blockOf = (node: Node): Node | null => {
    let at: Node | null = node;
    while (at && at.parentNode !== editor) at = at.parentNode;
    return at;
  };
  const recount = (): void => {
    total = 0;
    for (const child of editor!.childNodes) {
      let known = blocks.get(child);
      if (known === undefined) {
        known = blockLength(child);
        blocks.set(child, known);
      }
      total += known;
    }
  };
  return {
    count(records) {
      if (records === null || editor === null || !editor.isConnected) {
        editor = document.querySelector('.rich-text-content');
        if (!editor) return -1;
        blocks = new WeakMap();
        recount();
        return total;
      }
      let structural = false;
      const touched = new Set<Node>();
      // A text node's change is its new length less its first old one in this batch (a remote
      // keystroke is one such record), unless its block is counted again anyway.
      const texts = new Map<Node, number>();
      for (const record of records) {
        if (record.target === editor) structural = true;
        else if (record.type === 'characterData' && record.oldValue !== null) {
          if (!texts.has(record.target)) texts.set(record.target, record.oldValue.length);
        } else {
          const block = blockOf(record.target);
          if (block) touched.add(block);
        }
      }
      for (const [text, oldLength] of texts) {
        const block = blockOf(text);
        if (!block || touched.has(block)) continue;
        const known = blocks.get(block);
        if (known === undefined || text.parentElement?.closest('[contenteditable="false"]')) {
          touched.add(block);
          continue;
        }
        const delta = (text.nodeValue?.length ?? 0) - oldLength;
        blocks.set(block, known + delta);
        total += delta;
      }
      if (!structural) {
        for (const block of touched) {
          const old = blocks.get(block);
          if (old === undefined) {
            structural = true;
            break;
          }
          const length = blockLength(block);
          blocks.set(block, length);
          total += length - old;
        }
      }
      // Blocks added or removed: the sum is taken again, from the cache for all but the touched.
      if (structural) {
        for (const block of touched) blocks.delete(block);
        recount();
      }
      return total;
    },
  };
}
