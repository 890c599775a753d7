import { Editor, Extension } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import type { Awareness } from 'y-protocols/awareness';
import { coalescingCursor } from '../sync/cursorAwareness.ts';
import type { CaseDocument } from './caseDocument.ts';
import { richTextFragment, type RichTextField } from './layout.ts';
import './richTextBinding.ts';

/**
 * Ctrl+Home / Ctrl+End set the selection in ProseMirror instead of leaving it to the browser:
 * with a remote caret widget at the end of a paragraph, Chrome's native move can leave the DOM
 * selection behind the widget, which maps back to the start of the document.
 */
const DocumentEdges = Extension.create({
  name: 'documentEdges',
  addKeyboardShortcuts() {
    return {
      'Mod-End': () => this.editor.commands.focus('end'),
      'Mod-Home': () => this.editor.commands.focus('start'),
    };
  },
});

export interface RichTextOptions {
  element: HTMLElement;
  caseDoc: CaseDocument;
  field: RichTextField;
  /** Present when a conference is open: shows the others' carets. */
  awareness: Awareness | null;
  /** The full awareness user (with role): CollaborationCaret writes it to awareness as is. */
  user: { name: string; color: string; role: string } | null;
  labelledBy: string;
  describedBy?: string;
  onChange?: (editor: Editor) => void;
}

/** A Tiptap editor bound to one rich-text field of the case; the caller destroys it. */
export function mountRichText(options: RichTextOptions): Editor {
  const { awareness, user } = options;
  return new Editor({
    element: options.element,
    // Styles ship in our CSS bundle; no <style> injection (stricter CSP possible).
    injectCSS: false,
    // The delete core extension (onDelete events, unused here) sets a timer on every
    // transaction, each of another person's keystrokes included.
    enableCoreExtensions: { delete: false },
    extensions: [
      // Yjs owns history when collaborating; the built-in undo would fight it.
      StarterKit.configure({ undoRedo: false, link: { openOnClick: false, protocols: [], autolink: false } }),
      DocumentEdges,
      Collaboration.configure({ fragment: richTextFragment(options.caseDoc.doc, options.field) }),
      // Caret moves go out when typing pauses (cursorAwareness.ts), not behind every keystroke.
      ...(awareness && user ? [CollaborationCaret.configure({ provider: { awareness: coalescingCursor(awareness) }, user })] : []),
    ],
    editorProps: {
      attributes: {
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-labelledby': options.labelledBy,
        ...(options.describedBy ? { 'aria-describedby': options.describedBy } : {}),
        class: 'rich-text-content',
        spellcheck: 'true',
        lang: 'de',
      },
    },
    onTransaction: ({ editor }) => options.onChange?.(editor),
  });
}

/**
 * Takes in what the browser already typed into the editor's DOM but ProseMirror has not read
 * yet (it reads DOM changes in batches). Called before the editor is destroyed, so a keystroke
 * made just then reaches the case instead of vanishing with the old DOM.
 */
export function takeInPendingInput(editor: Editor): void {
  // ProseMirror keeps its DOM observer on the view without typing it as public.
  (editor.view as unknown as { domObserver?: { flush(): void } }).domObserver?.flush();
}

/**
 * Puts the cursor at `position` and the focus into the editor at once. Tiptap's focus command
 * moves the focus only in the next animation frame; keys typed meanwhile land on the page.
 */
export function focusNow(editor: Editor, position: number): void {
  editor.commands.setTextSelection(Math.min(position, editor.state.doc.content.size));
  editor.view.focus();
}
