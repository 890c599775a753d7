import type * as Y from 'yjs';
import { goalsMap, richTextFragment, stepsMap } from '../../../src/case/layout.ts';
import type { DocExpectation } from '../inpage/api.ts';

/** Counts on the raw Yjs types (no validation, no rendering): all a baseline does. */
export function docCounts(doc: Y.Doc): DocExpectation {
  return {
    goals: goalsMap(doc).size,
    steps: stepsMap(doc).size,
    paragraphs: richTextFragment(doc, 'ausgangslage').length,
  };
}

export function hasAll(doc: Y.Doc, expected: DocExpectation): boolean {
  const have = docCounts(doc);
  return have.goals >= expected.goals && have.steps >= expected.steps && have.paragraphs >= expected.paragraphs;
}
