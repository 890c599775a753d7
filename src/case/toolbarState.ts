import type { Editor } from '@tiptap/core';
import type { Mark } from '@tiptap/pm/model';

/** What the toolbar's buttons show: the state at this person's own caret. */
export interface ToolbarState {
  bold: boolean;
  italic: boolean;
  bulletList: boolean;
}

/**
 * The toolbar state after each transaction, worked out again only when what it depends on may
 * have changed: the caret's place in its paragraph, that paragraph, the kinds of blocks around
 * it, the marks waiting to be typed. Asking the editor (`isActive`, three times) on every
 * transaction cost every page with the caret in the text a fifth of a millisecond per keystroke
 * of anyone in the conference, though almost all of them were typed in another paragraph.
 * ProseMirror keeps an unchanged paragraph the same object, so a change elsewhere is seen by
 * identity. Returns null when the state cannot have changed.
 */
export function toolbarTracker(): (editor: Editor) => ToolbarState | null {
  let last: unknown[] | null = null;
  return (editor) => {
    const key = contextOf(editor);
    if (key !== null && last !== null && key.length === last.length && key.every((part, i) => part === last![i])) return null;
    last = key;
    return { bold: editor.isActive('bold'), italic: editor.isActive('italic'), bulletList: editor.isActive('bulletList') };
  };
}

/** Everything the three buttons' state depends on, or null when the selection spans blocks. */
function contextOf(editor: Editor): unknown[] | null {
  const { selection, storedMarks } = editor.state;
  const { $from, $to } = selection;
  if ($from.parent !== $to.parent) return null;
  const key: unknown[] = [selection.constructor, $from.parent, $from.parentOffset, $to.parentOffset, marksKey(storedMarks)];
  for (let depth = $from.depth - 1; depth > 0; depth--) key.push($from.node(depth).type.name);
  return key;
}

function marksKey(marks: readonly Mark[] | null): string | null {
  return marks === null ? null : marks.map((mark) => mark.type.name).join(',');
}
