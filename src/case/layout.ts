import * as Y from 'yjs';

/**
 * Root types of a case's shared Y.Doc (docs/case-schema.md). Names are part of the
 * wire format: renaming one is a schema migration, not a refactor.
 */
export const ROOT = {
  meta: 'meta',
  goals: 'goals',
  steps: 'steps',
} as const;

export const RICH_TEXT_FIELDS = ['ausgangslage'] as const;
export type RichTextField = (typeof RICH_TEXT_FIELDS)[number];

/** Entities are Y.Maps keyed by field; text fields are Y.Text for character-level merging. */
export type EntityMap = Y.Map<unknown>;

export function metaMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(ROOT.meta);
}
export function goalsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(ROOT.goals);
}
export function stepsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(ROOT.steps);
}
export function richTextFragment(doc: Y.Doc, field: RichTextField): Y.XmlFragment {
  return doc.getXmlFragment(field);
}
