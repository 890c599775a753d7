import type * as RichTextModule from '../../case/richText.ts';

/**
 * The rich-text editor (Tiptap and ProseMirror, more than half of the case page's code) comes
 * in its own chunk after the case is on screen: opening a case shows its text as plain
 * paragraphs first (RichText.svelte), so the editor's code is not on the way to the first view.
 */
export type EditorCode = typeof RichTextModule;

let code: EditorCode | null = null;
let loading: Promise<EditorCode> | null = null;

/** The editor's code if it is here already, else null. */
export function editorCode(): EditorCode | null {
  return code;
}

/** Fetches the editor's code once; a failed fetch may be tried again. */
export function loadEditorCode(): Promise<EditorCode> {
  loading ??= import('../../case/richText.ts').then(
    (module) => (code = module),
    (error: unknown) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}
