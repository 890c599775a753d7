import { Editor, Extension } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import type { Awareness } from 'y-protocols/awareness';
import type { EditorView } from '@tiptap/pm/view';
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
  const scroll = scrollInNextFrame();
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
      handleScrollToSelection: scroll,
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
 * Scrolls the caret into view just before the next frame instead of at once. ProseMirror
 * measures the caret right after each keystroke, which makes the browser lay out the page in the
 * middle of the task that also sends the keystroke to everyone: a layout of its own (about a
 * millisecond, several in a long conference), on the cores the other devices' pages are taking
 * the keystroke in with. Just before the frame the layout is due anyway, so measuring there
 * costs nothing extra, and the caret is in view in the same frame as before. Several
 * keystrokes in one frame scroll once.
 */
function scrollInNextFrame(): (view: EditorView) => boolean {
  let waiting = false;
  let scrolling = false;
  return (view) => {
    // ProseMirror's own scroll, called from the frame below.
    if (scrolling) return false;
    if (!waiting) {
      waiting = true;
      requestAnimationFrame(() => {
        waiting = false;
        if (view.isDestroyed) return;
        scrolling = true;
        try {
          (view as unknown as { scrollToSelection(): void }).scrollToSelection();
        } finally {
          scrolling = false;
        }
      });
    }
    return true;
  };
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

/**
 * What someone typed while the editor was not there yet (RichText.svelte keeps it meanwhile):
 * text as the browser would have inserted it (keys, an input method, a paste), or a key the
 * editor handles itself.
 */
export type EarlyInput = { text: string } | { key: 'Enter' | 'Shift-Enter' | 'Backspace' | 'Delete' };

/**
 * Types early input into the editor at its cursor as if it had happened there: text as text
 * (with line breaks as a paste would make them), Enter, Backspace and Delete through the
 * editor's own key handling (a new paragraph, joining paragraphs, a list item), and where that
 * leaves a key to the browser (Backspace inside a word), as the browser would: one character,
 * an emoji as a whole.
 */
export function typeEarlyInput(editor: Editor, inputs: readonly EarlyInput[]): void {
  let text = '';
  const flushText = () => {
    if (text.includes('\n')) editor.view.pasteText(text);
    else if (text) editor.view.dispatch(editor.state.tr.insertText(text));
    text = '';
  };
  for (const input of inputs) {
    if ('text' in input) {
      text += input.text;
      continue;
    }
    flushText();
    const before = editor.state;
    editor.commands.keyboardShortcut(input.key);
    const handled = editor.state.doc !== before.doc || !editor.state.selection.eq(before.selection);
    if (!handled && (input.key === 'Backspace' || input.key === 'Delete')) deleteCharacter(editor, input.key === 'Backspace');
  }
  flushText();
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** One character before (or after) an empty selection inside its paragraph. */
function deleteCharacter(editor: Editor, backward: boolean): void {
  const { empty, $from, from } = editor.state.selection;
  if (!empty) return;
  // One position per character and per inline leaf (a line break), as the document counts.
  const text = $from.parent.textBetween(0, $from.parent.content.size, undefined, '\ufffc');
  const at = $from.parentOffset;
  if (backward ? at === 0 : at >= text.length) return;
  const pair = backward
    ? at >= 2 && isLowSurrogate(text.charCodeAt(at - 1)) && isHighSurrogate(text.charCodeAt(at - 2))
    : isHighSurrogate(text.charCodeAt(at)) && isLowSurrogate(text.charCodeAt(at + 1));
  const size = pair ? 2 : 1;
  editor.view.dispatch(backward ? editor.state.tr.delete(from - size, from) : editor.state.tr.delete(from, from + size));
}
