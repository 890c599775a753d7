import type { InputTimes } from './inputTimes.ts';
import type { LengthLog } from './lengthLog.ts';

/** What the joiner's or opener's DOM must show before the case counts as rendered. */
export interface RenderExpectation {
  goals: number;
  steps: number;
  paragraphs: number;
}

/** clock.now() when the DOM first held everything, and after the layout of that DOM. */
export interface RenderTimes {
  domAt: number;
  laidOutAt: number;
  /** When every card was built with its controls (cards of a large case start as previews). */
  builtAt: number;
}

/** Milliseconds since navigation start. */
export interface ListTimes {
  listedMs: number;
  interactiveMs: number;
}

/** Injected into app pages (tests/bench/probe): timing hooks and raw IndexedDB access. */
export interface AppProbe {
  input: InputTimes;
  /** Length log of the first rich-text editor (startRichTextLog): when the DOM was written. */
  text: LengthLog;
  /** The same lengths, when the task that wrote them ended (its MutationObserver report). */
  textAtTaskEnd: LengthLog;
  startRichTextLog(): void;
  armRender(expected: RenderExpectation): void;
  whenRendered(timeoutMs: number): Promise<RenderTimes>;
  armList(names: string[]): void;
  whenListed(timeoutMs: number): Promise<ListTimes>;
  putCases(records: unknown[]): Promise<void>;
  putUpdate(docKey: string, updateBase64: string): Promise<void>;
  readUpdates(docKey: string): Promise<string[]>;
}

/** Baseline page for edit latency: a textarea bound to a Y.Text. */
export interface LatencyPage {
  input: InputTimes;
  text: LengthLog;
  connect(room: string, password: string): void;
  peers(): { connected: number; broadcast: number };
}

/** Expected content of a synced or loaded case document, counted on raw Yjs types. */
export interface DocExpectation {
  goals: number;
  steps: number;
  paragraphs: number;
}

/** Start and end (clock.now) of one measured load or sync. */
export interface Span {
  t0: number;
  t1: number;
}

/** Baseline page for late join: raw Yjs sync over y-webrtc, nothing rendered. */
export interface SyncPage {
  host(stateBase64: string, room: string, password: string): void;
  join(room: string, password: string, expected: DocExpectation, timeoutMs: number): Promise<Span>;
  peers(): { connected: number; broadcast: number };
}

/** Baseline page for cold open: the same document through y-indexeddb. */
export interface IdbPage {
  store(name: string, stateBase64: string): Promise<void>;
  open(name: string, expected: DocExpectation): Promise<Span>;
}

/** Harness page running the app's own storage code (DocPersistence) in real IndexedDB. */
export interface StoragePage {
  replay(updatesBase64: string[]): Promise<{ rows: number; storedBytes: number; encodedBytes: number }>;
}

export type BenchWindow<T> = Window & { __bench: T };
