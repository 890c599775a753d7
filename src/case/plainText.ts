import type { CaseDocument } from './caseDocument.ts';
import { richTextFragment, type RichTextField } from './layout.ts';
import * as Y from 'yjs';

/**
 * The plain text of a rich text field, one paragraph per line: for readable exports (the
 * client's copy of their data), where markup would only be in the way.
 */
export function richTextPlain(caseDoc: CaseDocument, field: RichTextField): string {
  const lines: string[] = [];
  const walk = (node: Y.XmlElement | Y.XmlText | Y.XmlFragment): string => {
    if (node instanceof Y.XmlText) return node.toDelta().map((op: { insert?: unknown }) => (typeof op.insert === 'string' ? op.insert : '')).join('');
    const children = node.toArray() as (Y.XmlElement | Y.XmlText)[];
    // Inline content joins up; blocks inside blocks (list items) get a line each.
    return children.map(walk).join(children.every((c) => c instanceof Y.XmlText) ? '' : '\n');
  };
  for (const block of richTextFragment(caseDoc.doc, field).toArray()) lines.push(walk(block as Y.XmlElement | Y.XmlText));
  return lines.join('\n');
}
