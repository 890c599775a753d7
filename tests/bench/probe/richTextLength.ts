/**
 * Characters in the first Tiptap editor, without remote carets: ProseMirror renders widgets
 * (CollaborationCaret's name labels) with contenteditable=false, and those are not text.
 */
export function richTextLength(): number {
  const editor = document.querySelector('.rich-text-content');
  return editor ? textLength(editor) : -1;
}

function textLength(root: Node): number {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) =>
      node.parentElement?.closest('[contenteditable="false"]') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  let length = 0;
  while (walker.nextNode()) length += walker.currentNode.nodeValue?.length ?? 0;
  return length;
}

/**
 * The same count, kept up to date from mutation records: only the blocks a mutation touched
 * are counted again. Counting the whole text on every mutation cost each receiver time that
 * grew with the text (a tenth of a millisecond per page of text, per keystroke, on every page),
 * on the same two cores the pages measured share; the figure is about the app, not the probe.
 */
export function createRichTextCounter(): { count(records: readonly MutationRecord[] | null): number } {
  let editor: Element | null = null;
  let blocks = new WeakMap<Node, number>();
  const blockOf = (node: Node): Node | null => {
    let at: Node | null = node;
    while (at && at.parentNode !== editor) at = at.parentNode;
    return at;
  };
  return {
    count(records) {
      const current = document.querySelector('.rich-text-content');
      if (!current) return -1;
      if (current !== editor || records === null) {
        editor = current;
        blocks = new WeakMap();
      } else {
        for (const record of records) {
          const block = record.target === editor ? null : blockOf(record.target);
          if (block) blocks.delete(block);
        }
      }
      let length = 0;
      for (const child of editor.childNodes) {
        let known = blocks.get(child);
        if (known === undefined) {
          known = child.nodeType === Node.TEXT_NODE ? (child.nodeValue?.length ?? 0) : textLength(child);
          blocks.set(child, known);
        }
        length += known;
      }
      return length;
    },
  };
}
