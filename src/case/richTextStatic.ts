import * as Y from 'yjs';
import type { CaseDocument } from './caseDocument.ts';
import { richTextFragment, type RichTextField } from './layout.ts';

/**
 * A rich-text field as plain DOM, for reading only: what the editor will show, without the
 * editor. Opening a large case mounted ProseMirror for thirty pages of text before anything
 * could be read; this shows the words first and lets the editor come when it is needed.
 *
 * Only known blocks and marks become elements (everything else a plain container or plain
 * text), and all text goes in as text nodes: whatever a peer wrote into the document, nothing
 * here is parsed as HTML or becomes a link.
 */
const BLOCKS: Record<string, string> = {
  paragraph: 'p',
  bulletList: 'ul',
  orderedList: 'ol',
  listItem: 'li',
  blockquote: 'blockquote',
  codeBlock: 'pre',
  horizontalRule: 'hr',
  hardBreak: 'br',
};
const MARKS: Record<string, string> = { bold: 'strong', italic: 'em', strike: 's', code: 'code', underline: 'u' };

/** Characters in a field: how much text an editor would have to build. */
export function richTextChars(caseDoc: CaseDocument, field: RichTextField): number {
  let chars = 0;
  const count = (type: Y.XmlElement | Y.XmlFragment): void => {
    for (const child of type.toArray()) {
      if (child instanceof Y.XmlText) chars += child.length;
      else if (child instanceof Y.XmlElement) count(child);
    }
  };
  count(richTextFragment(caseDoc.doc, field));
  return chars;
}

/** Fills `element` with the field's text as plain DOM (see above). */
export function renderStaticRichText(element: HTMLElement, caseDoc: CaseDocument, field: RichTextField): void {
  const fragment = richTextFragment(caseDoc.doc, field);
  element.replaceChildren(...fragment.toArray().map(toNode));
}

/** Calls `listener` once the field changes (then stops listening): the editor must take over. */
export function onRichTextChange(caseDoc: CaseDocument, field: RichTextField, listener: () => void): () => void {
  const fragment = richTextFragment(caseDoc.doc, field);
  const observer = (): void => {
    fragment.unobserveDeep(observer);
    listener();
  };
  fragment.observeDeep(observer);
  return () => fragment.unobserveDeep(observer);
}

function toNode(type: Y.XmlElement | Y.XmlText | Y.XmlHook): Node {
  if (type instanceof Y.XmlText) return textNodes(type);
  if (!(type instanceof Y.XmlElement)) return document.createTextNode('');
  const name = type.nodeName;
  const level = name === 'heading' ? Number(type.getAttribute('level')) : NaN;
  const tag = name === 'heading' ? `h${Number.isInteger(level) && level >= 1 && level <= 6 ? level : 2}` : (BLOCKS[name] ?? 'div');
  const element = document.createElement(tag);
  const children = type.toArray().map(toNode);
  if (tag === 'pre') {
    const code = document.createElement('code');
    code.append(...children);
    element.append(code);
  } else if (tag !== 'hr' && tag !== 'br') {
    element.append(...children);
  }
  return element;
}

function textNodes(text: Y.XmlText): Node {
  const out = document.createDocumentFragment();
  for (const op of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
    if (typeof op.insert !== 'string') continue;
    let node: Node = document.createTextNode(op.insert);
    for (const mark of Object.keys(op.attributes ?? {})) {
      const tag = MARKS[mark];
      if (!tag) continue;
      const wrapper = document.createElement(tag);
      wrapper.append(node);
      node = wrapper;
    }
    out.append(node);
  }
  return out;
}
