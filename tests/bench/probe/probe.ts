import type { AppProbe, BenchWindow } from '../inpage/api.ts';
import { recordInputTimes } from '../inpage/inputTimes.ts';
import { createLengthLog } from '../inpage/lengthLog.ts';
import { putCases, putUpdate, readUpdates } from './appDb.ts';
import { createListWatch } from './listWatch.ts';
import { createRenderWatch } from './renderWatch.ts';
import { startRichTextLog } from './richTextLog.ts';

/**
 * Injected into every app page before the app's own scripts (context.addInitScript). Passive
 * until the driver arms a watcher, so it does not change what it measures.
 */
const text = createLengthLog();
const textAtTaskEnd = createLengthLog();
let logging = false;
const render = createRenderWatch();
const list = createListWatch();

const probe: AppProbe = {
  input: recordInputTimes(window),
  text,
  textAtTaskEnd,
  startRichTextLog: () => {
    if (logging) return;
    logging = true;
    startRichTextLog(text, textAtTaskEnd);
  },
  armRender: (expected) => render.arm(expected),
  whenRendered: (timeoutMs) => render.when(timeoutMs),
  armList: (names) => list.arm(names),
  whenListed: (timeoutMs) => list.when(timeoutMs),
  putCases,
  putUpdate,
  readUpdates,
};

(window as unknown as BenchWindow<AppProbe>).__bench = probe;
