/**
 * Characters in the first Tiptap editor, without remote carets: ProseMirror renders widgets
 * (CollaborationCaret's name labels) with contenteditable=false, and those are not text.
 */
export function richTextLength(): number {
  const editor = document.querySelector('.rich-text-content');
  if (!editor) return -1;
  const walker = document.createTreeWalker(editor, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) =>
      node.parentElement?.closest('[contenteditable="false"]') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  let length = 0;
  while (walker.nextNode()) length += walker.currentNode.nodeValue?.length ?? 0;
  return length;
}
