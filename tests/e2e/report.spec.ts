import { readFile } from 'node:fs/promises';
import { expect, test, type Download, type Locator, type Page } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import { DEMO } from '../../src/app/demoCase.ts';
import { createCase, expectSaved, newParticipant, startApp, type Participant } from './app.ts';

let server: RunningServer;
const people: Participant[] = [];

const CASE_NAME = 'Mia Kowalski';
const STEP = 'Abendkurs mit Kinderbetreuung finden';
const GAP = 'Kinderbetreuung am Abend fehlt im Landkreis';
/** Every person's name in the two cases (the demo's and Mia's); none may reach a file. */
const NAMES = ['Jonas', 'Aydin', 'Wolff', 'Lindqvist', 'Petrov', 'Mia', 'Kowalski'];

test.describe.configure({ timeout: 180_000 });

test.beforeAll(async () => {
  server = await startApp();
});

test.afterAll(async () => {
  for (const p of people) await p.context.close();
  await server?.close();
});

async function fillText(locator: Locator, value: string) {
  await locator.fill(value);
  await expect(locator).toHaveValue(value);
}

async function text(download: Download): Promise<string> {
  return readFile(await download.path(), 'utf-8');
}

/** Clicks a download button of the report panel and returns the file. */
async function downloadReport(page: Page, button: 'Als CSV herunterladen' | 'Als JSON herunterladen'): Promise<Download> {
  const downloading = page.waitForEvent('download');
  await page.getByTestId('report-panel').getByRole('button', { name: button }).click();
  return downloading;
}

test('report without names: CSV and JSON from the local cases; a name in a gap blocks it and the panel says where', async ({ browser }) => {
  const a = await newParticipant(browser);
  people.push(a);
  const page = a.page;
  let downloads = 0;
  page.on('download', () => downloads++);

  // Case 1: the demo (scenario A, with a housing gap); case 2: typed here, with a gap of its own.
  await page.goto(server.url);
  await page.getByTestId('load-demo').click();
  await expect(page.getByTestId('case-title')).toHaveText(`Fall: ${DEMO.client}`);
  const miaId = await createCase(page, server.url, CASE_NAME);
  await page.getByTestId('add-step').click();
  const step = page.getByTestId('step').first();
  await fillText(step.getByTestId('step-what'), STEP);
  await fillText(step.getByTestId('step-who'), 'Mia selbst');
  await step.getByTestId('step-gap').check();
  await fillText(step.getByTestId('step-gap-description'), GAP);
  await expectSaved(page);

  await page.goto(`${server.url}/#/`);
  const panel = page.getByTestId('report-panel');
  await expect(panel.getByRole('heading', { name: 'Auswertung ohne Namen (für die Angebotsplanung)' })).toBeVisible();
  await expect(panel).toContainText('ohne Namen, ohne Geburtsdaten');

  const csvFile = await downloadReport(page, 'Als CSV herunterladen');
  expect(csvFile.suggestedFilename()).toMatch(/^runder-tisch-auswertung-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await text(csvFile);
  expect(csv.startsWith('\uFEFF')).toBe(true);
  const lines = csv.split('\r\n');
  expect(lines[0]).toBe('\uFEFFAuswertung ohne Namen');
  expect(lines).toContain('Fälle;2');
  expect(lines).toContain('Fall;Lücke;Bereiche;Beschreibung');
  expect(lines).toContain(`Fall 2;1;ohne Bereich;${GAP}`);
  // The demo's housing gap: its goal answers the housing need.
  expect(lines.some((l) => l.startsWith('Fall 1;1;Wohnen;') && l.includes(DEMO.gapDescription))).toBe(true);
  expect(lines).toContain('Wohnen;1;1');
  for (const name of NAMES) expect(csv).not.toContain(name);
  await expect(page.getByTestId('report-message')).toHaveText('Auswertung mit 2 Fällen heruntergeladen.');

  const jsonFile = await downloadReport(page, 'Als JSON herunterladen');
  expect(jsonFile.suggestedFilename()).toMatch(/^runder-tisch-auswertung-\d{4}-\d{2}-\d{2}\.json$/);
  const jsonText = await text(jsonFile);
  const json = JSON.parse(jsonText);
  expect(json).toMatchObject({ kind: 'runder-tisch-report', v: 1, cases: 2, skipped: 0 });
  expect(json.gaps).toContainEqual({ case: 2, gap: 1, domains: ['ohne_bereich'], description: GAP });
  expect(json.caseRows.map((r: { partners: number }) => r.partners)).toEqual([3, 0]);
  for (const name of NAMES) expect(jsonText).not.toContain(name);
  expect(jsonText).not.toContain(miaId);
  expect(downloads).toBe(2);

  // A name slips into Mia's gap description: the demo's teacher, a person of the other case.
  await page.goto(`${server.url}/#/case/${miaId}`);
  const gapField = page.getByTestId('step').first().getByTestId('step-gap-description');
  await fillText(gapField, `${GAP}, Frau LINDQVIST fragt nach`);
  await expectSaved(page);
  await page.goto(`${server.url}/#/`);
  await panel.getByRole('button', { name: 'Als CSV herunterladen' }).click();
  const blocked = page.getByTestId('report-blocked');
  await expect(blocked.getByRole('heading', { name: 'Nicht heruntergeladen: Die Auswertung enthält Namen' })).toBeFocused();
  await expect(blocked.getByTestId('report-finding')).toHaveText([`Fall 2 (${CASE_NAME}), Angebotslücke 1: „Lindqvist“ Fall öffnen`]);
  await expect(blocked).toContainText('beschreiben Sie die fehlende Hilfe ohne den Namen');

  // The finding leads to the case; without the name the report goes out again.
  await blocked.getByRole('link', { name: `Fall öffnen: ${CASE_NAME}` }).click();
  await expect(page.getByTestId('case-title')).toHaveText(`Fall: ${CASE_NAME}`);
  await fillText(page.getByTestId('step').first().getByTestId('step-gap-description'), `${GAP}, die Lehrerin fragt nach`);
  await expectSaved(page);
  await page.goto(`${server.url}/#/`);
  const fixed = await downloadReport(page, 'Als JSON herunterladen');
  const fixedText = await text(fixed);
  expect(JSON.parse(fixedText).gaps).toContainEqual({ case: 2, gap: 1, domains: ['ohne_bereich'], description: `${GAP}, die Lehrerin fragt nach` });
  for (const name of NAMES) expect(fixedText).not.toContain(name);
  await expect(page.getByTestId('report-blocked')).toHaveCount(0);
  // The blocked attempt produced no file: two downloads before it, one after.
  expect(downloads).toBe(3);
});
