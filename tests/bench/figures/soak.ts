import { createHash } from 'node:crypto';
import type { Page } from '@playwright/test';
import * as Y from 'yjs';
import { expectSaved, type Participant } from '../../e2e/app.ts';
import { sharedDocKey } from '../../../src/storage/caseRecord.ts';
import { SOAK } from '../config.ts';
import type { GeneratedCase } from '../data/caseHistory.ts';
import { word } from '../data/words.ts';
import type { AppProbe, BenchWindow } from '../inpage/api.ts';
import { heapAfterGc } from '../lib/browser.ts';
import { figure, type Figure } from '../lib/report.ts';
import { rng, type Rng } from '../lib/rng.ts';
import { measureKeystrokes, type KeystrokeTimes } from '../lib/keystrokes.ts';
import { taskEndFigure } from './editLatency.ts';
import { percentile } from '../lib/stats.ts';
import { LATENCY } from '../config.ts';

export interface SoakResult {
  minutes: number;
  keystrokes: number;
  failedActions: number;
  storedBytes: number;
  storedRows: number;
  encodedStateBytes: number;
  historyEdits: number;
}

/**
 * Everyone in the conference types at a fixed cadence for SOAK.minutes: words into the rich
 * text, now and then into a goal title or a step, with Backspace and Enter mixed in. Seeded,
 * so every run makes the same choices. Afterwards: the host's stored update log against the
 * document's encoded state. The heaps are read later (heapsAfterSoak), after the latency.
 */
export async function soak(conference: Participant[], meeting: GeneratedCase): Promise<SoakResult> {
  const deadline = performance.now() + SOAK.minutes * 60_000;
  const typed = await Promise.all(conference.map((p, i) => typeLikeAPerson(p.page, rng(SOAK.seed + i), deadline)));
  const host = conference[0]!.page;
  await expectSaved(host);
  const rows = await host.evaluate(
    (key) => (window as unknown as BenchWindow<AppProbe>).__bench.readUpdates(key),
    sharedDocKey(meeting.caseId),
  );
  const updates = rows.map((row) => new Uint8Array(Buffer.from(row, 'base64')));
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  const encodedStateBytes = Y.encodeStateAsUpdate(doc).length;
  doc.destroy();
  return {
    minutes: SOAK.minutes,
    keystrokes: typed.reduce((sum, t) => sum + t.keystrokes, 0),
    failedActions: typed.reduce((sum, t) => sum + t.failed, 0),
    storedBytes: updates.reduce((sum, u) => sum + u.length, 0),
    storedRows: updates.length,
    encodedStateBytes,
    historyEdits: meeting.edits,
  };
}

/** Longest a single action may take before it counts as failed (and the person goes on). */
const ACTION_TIMEOUT_MS = 10_000;

/**
 * One participant's typing until the deadline. Returns keystrokes made (each one an edit) and
 * actions that failed: a page too busy to take a keystroke in time is a result of the soak,
 * so it is counted rather than ending the run.
 */
async function typeLikeAPerson(page: Page, random: Rng, deadline: number): Promise<{ keystrokes: number; failed: number }> {
  const interval = 60_000 / SOAK.wordsPerMinute;
  let next = performance.now() + random.int(interval);
  let inEditor = false;
  let keystrokes = 0;
  let failed = 0;
  for (;;) {
    if (next >= deadline) return { keystrokes, failed };
    const wait = next - performance.now();
    // The cadence itself, not a stand-in for a condition.
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    // A participant who fell behind skips words instead of typing in bursts.
    next = Math.max(next + interval, performance.now());
    try {
      const { keys, editor } = await act(page, random, inEditor);
      keystrokes += keys;
      inEditor = editor;
    } catch {
      failed++;
      inEditor = false;
    }
  }
}

/** One word typed, deleted or a paragraph started; focus() rather than click(): no scrolling or hit tests. */
async function act(page: Page, random: Rng, inEditor: boolean): Promise<{ keys: number; editor: boolean }> {
  const r = random.next();
  if (r < 0.85) {
    if (!inEditor) {
      await page.locator('.rich-text-content').first().focus({ timeout: ACTION_TIMEOUT_MS });
      // Some write on at the end, the others where they were: spread over the text like people.
      if (random.chance(0.5)) await page.keyboard.press('Control+End');
    }
    const s = random.next();
    if (s < 0.05) {
      const count = random.between(1, 8);
      for (let i = 0; i < count; i++) await page.keyboard.press('Backspace');
      return { keys: count, editor: true };
    }
    if (s < 0.08) {
      await page.keyboard.press('Enter');
      return { keys: 1, editor: true };
    }
    const text = `${word(random)} `;
    await page.keyboard.type(text);
    return { keys: text.length, editor: true };
  }
  const fields = page.getByTestId(r < 0.93 ? 'goal-title' : 'step-what');
  const count = await fields.count();
  if (count === 0) return { keys: 0, editor: inEditor };
  await fields.nth(random.int(count)).focus({ timeout: ACTION_TIMEOUT_MS });
  await page.keyboard.press('End');
  const text = ` ${word(random)}`;
  await page.keyboard.type(text);
  return { keys: text.length, editor: false };
}

/**
 * Each participant's JS heap after a forced full GC. Read after the latency after the soak, not
 * before: such a GC also drops compiled code, so the keystrokes right after it would measure
 * V8 compiling the typing path again (compare `edit-latency.*.after-soak-gc`), not the load.
 */
export async function heapsAfterSoak(conference: Participant[]): Promise<number[]> {
  const heapBytes: number[] = [];
  for (const p of conference) heapBytes.push(await heapAfterGc(p.page));
  return heapBytes;
}

export function soakFigures(result: SoakResult, heapBytes: number[], participants: number): Figure[] {
  const maxHeap = Math.max(...heapBytes) / 1e6;
  const ratio = result.storedBytes / result.encodedStateBytes;
  const edits = result.keystrokes + result.historyEdits;
  return [
    figure({
      id: 'memory.conference',
      label: `JS heap after ${result.minutes} min editing, ${participants} participants`,
      value: maxHeap,
      unit: 'MB',
      target: '< 150 MB',
      pass: maxHeap < 150,
      note: `largest of the ${participants} participants after a forced GC (all: ${heapBytes.map((b) => (b / 1e6).toFixed(1)).join(', ')} MB); ${result.keystrokes} keystrokes typed, ${result.failedActions} actions timed out`,
    }),
    figure({
      id: 'storage.soak-host',
      label: 'Stored update log / encoded state, soak host',
      value: ratio,
      unit: '×',
      digits: 2,
      note: `host's IndexedDB after the soak (${edits} edits incl. the case's history): ${result.storedRows} rows, ${(result.storedBytes / 1024).toFixed(1)} KiB stored, encoded state ${(result.encodedStateBytes / 1024).toFixed(1)} KiB`,
    }),
  ];
}

/** How long the copies may take to agree once everyone stopped typing. */
const CONVERGE_TIMEOUT_MS = 120_000;

export interface AfterSoak {
  /** Every participant's case shows the same rich text, goal titles and step texts. */
  identical: boolean;
  /** From the last keystroke of the soak until all copies agreed. */
  convergedMs: number | null;
  /** One digest per participant (equal when identical). */
  digests: string[];
  /** Edit latency measured again on the same, now ten minutes older, conference. */
  latency: KeystrokeTimes;
}

/** What a participant's screen holds of the case, as one digest. */
async function digest(page: Page): Promise<string> {
  // No named helper inside: tsx wraps named functions in a `__name` call the page lacks.
  const content = await page.evaluate(() => {
    const fields = ['goal-title', 'step-what'].map((id) =>
      [...document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>(`[data-testid=${id}]`)].map((el) => el.value).sort(),
    );
    const rich = document.querySelector('[data-testid=richtext-ausgangslage]') as (Element & { richText?: () => string }) | null;
    return JSON.stringify({ rich: rich?.richText?.() ?? null, goals: fields[0], steps: fields[1] });
  });
  return createHash('sha256').update(content).digest('hex').slice(0, 16);
}

/**
 * After the soak: the copies must agree (issue 8, load), and typing must still reach everyone
 * as fast as before. Polls the digests until they agree, then measures the edit latency again.
 */
export async function afterSoak(conference: Participant[]): Promise<AfterSoak> {
  const pages = conference.map((p) => p.page);
  const start = performance.now();
  let digests: string[] = [];
  let convergedMs: number | null = null;
  while (performance.now() - start < CONVERGE_TIMEOUT_MS) {
    digests = await Promise.all(pages.map(digest));
    if (digests.every((d) => d === digests[0])) {
      convergedMs = performance.now() - start;
      break;
    }
    // A condition over eight pages: the next round starts after the first page's next frame.
    await pages[0]!.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  }
  const latency = await latencyAgain(conference);
  return { identical: convergedMs !== null, convergedMs, digests, latency };
}

/** The edit latency measured on the conference as it is now, as in the editLatency figure. */
export async function latencyAgain(conference: Participant[]): Promise<KeystrokeTimes> {
  const [writer, ...receivers] = conference.map((p) => p.page);
  for (const r of receivers) await r.evaluate(() => (window as unknown as BenchWindow<AppProbe>).__bench.startRichTextLog());
  await writer!.locator('.rich-text-content').first().focus();
  await writer!.keyboard.press('Control+End');
  return measureKeystrokes(writer!, receivers, {
    warmup: LATENCY.warmupKeystrokes,
    count: LATENCY.keystrokes,
    timeoutMs: LATENCY.arrivalTimeoutMs,
  });
}

/** For comparison, no target: the latency right after the forced GC of the heap figure. */
export function afterGcFigure(latency: KeystrokeTimes, participants: number): Figure {
  return figure({
    id: `edit-latency.${participants}.p95.after-soak-gc`,
    label: `Edit latency p95, ${participants} participants, after the soak and a forced full GC on every page`,
    value: percentile(latency.latencies, 95),
    unit: 'ms',
    digits: 1,
    note: 'measured right after the heap figure\'s forced GC (HeapProfiler.collectGarbage), which also drops compiled code; not a target, the figure above is',
  });
}

export function afterSoakFigures(after: AfterSoak, baseline: KeystrokeTimes | undefined, participants: number): Figure[] {
  const p95 = percentile(after.latency.latencies, 95);
  const base = baseline && baseline.latencies.length > 0 ? percentile(baseline.latencies, 95) : null;
  const first = percentile(after.latency.first, 50);
  const baseFirst = baseline && baseline.first.length > 0 ? percentile(baseline.first, 50) : null;
  return [
    figure({
      id: 'soak.identical',
      label: `All ${participants} copies identical after the soak`,
      value: after.convergedMs === null ? Number.NaN : after.convergedMs / 1000,
      unit: 's',
      digits: 1,
      target: 'identical within 120 s',
      pass: after.identical,
      note: after.identical
        ? `every participant's case digest equal ${(after.convergedMs! / 1000).toFixed(1)} s after the last keystroke`
        : `digests still differ: ${after.digests.join(', ')}`,
    }),
    figure({
      id: `edit-latency.${participants}.p95.after-soak`,
      label: `Edit latency p95, ${participants} participants, after the soak`,
      value: p95,
      unit: 'ms',
      digits: 1,
      ...(base !== null ? { baseline: base } : {}),
      target: '≤ 1.5× baseline and ≤ 30 ms',
      pass: base !== null && p95 <= 30 && p95 <= 1.5 * base,
      note: base === null ? 'no baseline in this run' : `${(p95 / base).toFixed(2)}× the baseline p95 (${base.toFixed(1)} ms) of this run`,
    }),
    ...taskEndFigure(after.latency, `edit-latency.${participants}.p95.after-soak.task-end`, `Edit latency p95, ${participants} participants, after the soak, until the receiving task ended`),
    figure({
      id: `edit-latency.${participants}.first.p50.after-soak`,
      label: `Edit latency to the first receiver p50, ${participants} participants, after the soak`,
      value: first,
      unit: 'ms',
      digits: 1,
      ...(baseFirst !== null ? { baseline: baseFirst } : {}),
    }),
  ];
}
