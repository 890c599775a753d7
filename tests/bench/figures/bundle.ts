import { gzipSync } from 'node:zlib';
import type { Browser, Response } from '@playwright/test';
import { newParticipant } from '../../e2e/app.ts';
import { TIMEOUTS } from '../config.ts';
import { openCaseList, startConference } from '../lib/appFlow.ts';
import { figure, type Figure } from '../lib/report.ts';

interface Loaded {
  url: string;
  type: 'script' | 'stylesheet';
  phase: 'list' | 'conference';
  gzipBytes: number;
  editor: boolean;
  sync: boolean;
}

// Names minifiers keep (class-name strings, property names): proof of which code a file holds.
const EDITOR_MARKER = 'ProseMirror';
const SYNC_MARKER = 'webrtcConns';

/**
 * What the browser actually loads (every script and stylesheet response, gzip level 9), first
 * for the case list, then for opening a new case and starting a conference in the same page.
 */
export async function measureBundle(browser: Browser, appUrl: string): Promise<Loaded[]> {
  const { context, page } = await newParticipant(browser);
  const pending: Promise<Loaded | null>[] = [];
  const seen = new Set<string>();
  let phase: Loaded['phase'] = 'list';
  const collect = async (response: Response, at: Loaded['phase']): Promise<Loaded | null> => {
    const type = response.request().resourceType();
    if ((type !== 'script' && type !== 'stylesheet') || seen.has(response.url())) return null;
    seen.add(response.url());
    const body = await response.body();
    const text = body.toString('utf8');
    return {
      url: new URL(response.url()).pathname,
      type,
      phase: at,
      gzipBytes: gzipSync(body, { level: 9 }).length,
      editor: text.includes(EDITOR_MARKER),
      sync: text.includes(SYNC_MARKER),
    };
  };
  page.on('response', (response) => pending.push(collect(response, phase)));
  try {
    await openCaseList(page, appUrl);
    await page.waitForLoadState('networkidle');
    phase = 'conference';
    await page.getByLabel('Name oder Kürzel der Person').fill('Bundle Messung');
    await page.getByRole('button', { name: 'Fall anlegen' }).click();
    await page.getByTestId('case-title').waitFor({ timeout: TIMEOUTS.setup });
    await startConference(page, 'Frau Aydin');
    await page.waitForLoadState('networkidle');
    return (await Promise.all(pending)).filter((entry): entry is Loaded => entry !== null);
  } finally {
    await context.close();
  }
}

export function bundleFigures(loaded: Loaded[]): Figure[] {
  const kb = (entries: Loaded[]) => entries.reduce((sum, e) => sum + e.gzipBytes, 0) / 1000;
  const list = loaded.filter((e) => e.phase === 'list');
  const listJs = kb(list.filter((e) => e.type === 'script'));
  // Scripts only: the global stylesheet may style the editor; styles are not editor code.
  const deferred = kb(list.filter((e) => e.type === 'script' && (e.editor || e.sync)));
  const provable = loaded.some((e) => e.type === 'script' && e.editor) && loaded.some((e) => e.type === 'script' && e.sync);
  return [
    figure({
      id: 'bundle.case-list.js',
      label: 'Initial JS, case list (gzip)',
      value: listJs,
      unit: 'kB',
      target: '≤ 200 kB',
      pass: listJs <= 200,
      note: `${list.filter((e) => e.type === 'script').length} files as loaded by the browser, gzip -9`,
    }),
    figure({ id: 'bundle.case-list.css', label: 'Initial CSS, case list (gzip)', value: kb(list.filter((e) => e.type === 'stylesheet')), unit: 'kB' }),
    figure({ id: 'bundle.conference', label: 'JS + CSS loaded for a conference (gzip)', value: kb(loaded), unit: 'kB' }),
    figure({
      id: 'bundle.deferred',
      label: 'Editor and sync code loaded on the case list',
      value: deferred,
      unit: 'kB',
      target: '0 kB (load when a case opens)',
      pass: deferred === 0 && provable,
      note: provable ? 'files holding ProseMirror or y-webrtc code' : 'markers not found in any file: check not possible',
    }),
  ];
}
