import * as Y from 'yjs';
import type { WebrtcProvider } from 'y-webrtc';
import type { BenchWindow, LatencyPage } from '../inpage/api.ts';
import { now } from '../inpage/clock.ts';
import { recordInputTimes } from '../inpage/inputTimes.ts';
import { createLengthLog } from '../inpage/lengthLog.ts';
import { joinRoom, peersOf } from './room.ts';
import { bindTextarea } from './textareaBinding.ts';

const doc = new Y.Doc();
const area = document.querySelector('textarea')!;
const text = createLengthLog();
text.record(0, now());
bindTextarea(area, doc.getText('text'), (length) => text.record(length, now()));
let provider: WebrtcProvider | null = null;

const page: LatencyPage = {
  input: recordInputTimes(window),
  text,
  connect: (room, password) => {
    provider = joinRoom(doc, room, password);
  },
  peers: () => peersOf(provider),
};
(window as unknown as BenchWindow<LatencyPage>).__bench = page;
