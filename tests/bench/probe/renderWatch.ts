import { now } from '../inpage/clock.ts';
import type { RenderExpectation, RenderTimes } from '../inpage/api.ts';

// Only selectors the app's tests rely on too: they survive UI changes.
function counts(): RenderExpectation {
  let paragraphs = 0;
  document.querySelectorAll('.rich-text-content').forEach((editor) => {
    paragraphs += editor.querySelectorAll(':scope > p').length;
  });
  return {
    goals: document.querySelectorAll('[data-testid="goal-title"]').length,
    steps: document.querySelectorAll('[data-testid="step-what"]').length,
    paragraphs,
  };
}

function satisfied(have: RenderExpectation, want: RenderExpectation): boolean {
  return have.goals >= want.goals && have.steps >= want.steps && have.paragraphs >= want.paragraphs;
}

/**
 * Notes when the DOM shows every goal, step and paragraph; then layout is forced once, so the
 * figure includes the browser's style and layout work for that DOM (paint excluded). Resolves
 * once no card is a preview any more (builtAt), which is the same moment when none ever was.
 */
export function createRenderWatch() {
  let result: Promise<RenderTimes> | null = null;
  let expected: RenderExpectation | null = null;
  return {
    arm(want: RenderExpectation): void {
      expected = want;
      result = new Promise<RenderTimes>((resolve) => {
        let rendered: { domAt: number; laidOutAt: number } | null = null;
        const observer = new MutationObserver(() => {
          const domAt = now();
          if (!rendered) {
            if (!satisfied(counts(), want)) return;
            document.body.getBoundingClientRect();
            rendered = { domAt, laidOutAt: now() };
          }
          // Cards first shown as previews (words only) are built in idle time: when the last one is.
          if (document.querySelector('[data-preview]')) return;
          observer.disconnect();
          resolve({ ...rendered, builtAt: domAt });
        });
        observer.observe(document, { subtree: true, childList: true });
      });
    },
    when(timeoutMs: number): Promise<RenderTimes> {
      if (!result) return Promise.reject(new Error('render watch not armed'));
      return Promise.race([
        result,
        new Promise<never>((_, reject) =>
          setTimeout(
            () => reject(new Error(`not rendered in ${timeoutMs} ms: want ${JSON.stringify(expected)}, have ${JSON.stringify(counts())}`)),
            timeoutMs,
          ),
        ),
      ]);
    },
  };
}
