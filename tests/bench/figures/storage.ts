import type { Browser } from '@playwright/test';
import { newParticipant } from '../../e2e/app.ts';
import type { GeneratedCase } from '../data/caseHistory.ts';
import type { BenchWindow, StoragePage } from '../inpage/api.ts';
import { figure, type Figure } from '../lib/report.ts';

export interface StorageResult {
  edits: number;
  rows: number;
  storedBytes: number;
  encodedBytes: number;
}

/** The large case's whole history, edit by edit, through the app's DocPersistence in Chromium. */
export async function measureStorage(browser: Browser, baseUrl: string, large: GeneratedCase): Promise<StorageResult> {
  const { context, page } = await newParticipant(browser);
  try {
    await page.goto(`${baseUrl}/storage.html`);
    const updates = large.updates.map((u) => Buffer.from(u).toString('base64'));
    const result = await page.evaluate((u) => (window as unknown as BenchWindow<StoragePage>).__bench.replay(u), updates);
    return { edits: updates.length, ...result };
  } finally {
    await context.close();
  }
}

export function storageFigure(result: StorageResult): Figure {
  const ratio = result.storedBytes / result.encodedBytes;
  return figure({
    id: 'storage.ratio',
    label: `Stored update log / encoded state, ${result.edits} edits`,
    value: ratio,
    unit: '×',
    digits: 2,
    target: '< 3×',
    pass: ratio < 3,
    note: `the large case's history replayed edit by edit through the app's DocPersistence in IndexedDB: ${result.rows} rows, ${(result.storedBytes / 1024).toFixed(1)} KiB stored, encoded state ${(result.encodedBytes / 1024).toFixed(1)} KiB`,
  });
}
