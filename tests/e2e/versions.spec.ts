import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { RunningServer } from '../../src/server/app.ts';
import { createCase, invite, joinByLink, newParticipant, recordConsent, startApp, startConference, type Participant } from './app.ts';

let server: RunningServer;
let host: Participant;
let client: Participant;
let partner: Participant;

const GOAL = 'Ausbildung als Kfz-Mechatroniker beginnen';
const CLIENT_WORDS = 'Ich will an Autos schrauben und mein eigenes Geld verdienen';
const STEP = 'Schulden ordnen und Ratenplan aufstellen';
const ORG = 'Schuldnerberatung Nord';
const REASON = 'Beratungstermin erst im Februar frei';
// Version 1 holds a second step that version 2 drops; version 2 adds one whose date has passed.
const OLD_STEP = 'Bewerbungsmappe mit dem Jobcoach durchsehen';
const NEW_STEP = 'Führerschein-Theorie anmelden';
const MISSED_REASON = 'Anmeldung lag beim Jobcenter, Antwort steht aus';
const LATER_STEP = 'Probetag in der Werkstatt vereinbaren';

// Three devices, two rounds of agreement and a third proposal: longer than the default.
test.describe.configure({ timeout: 240_000 });

test.beforeAll(async ({ browser }) => {
  server = await startApp();
  host = await newParticipant(browser);
  client = await newParticipant(browser);
  partner = await newParticipant(browser);
  // The partner's browser plays the hostile peer later: the debug handle writes raw entries.
  await partner.context.addInitScript(() => {
    try {
      localStorage.setItem('runder-tisch.debug', '1');
    } catch {
      // about:blank has no storage
    }
  });
});

test.afterAll(async () => {
  for (const p of [host, client, partner]) await p?.context.close();
  await server?.close();
});

const answerOf = (page: Page, name: string) => page.locator(`[data-testid=version-answer][data-name="${name}"]`);
const frozen = (page: Page, n: number) => page.locator(`[data-testid=version-frozen][data-number="${n}"]`);

async function pdfText(pdf: Buffer): Promise<string> {
  const doc = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, useSystemFonts: false }).promise;
  let text = '';
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    for (const item of content.items) if ('str' in item) text += item.str + (item.hasEOL ? '\n' : '');
    text += '\n';
  }
  await doc.destroy();
  return text.replace(/\s+/g, ' ');
}

test('three people agree a version with Bedenkzeit in between; it verifies, prints, diffs and shows tampering', async ({}, testInfo) => {
  const A = host.page;
  const caseId = await createCase(A, server.url, 'Jonas Bergmann');
  await startConference(A, 'Frau Wagner');
  await recordConsent(A, ORG, 'schuldnerberatung', ['finanzen']);

  // The plan: a main goal in the client's words, a step the partner carries, a review date.
  await A.getByTestId('add-main-goal').click();
  const goal = A.getByTestId('goal').first();
  await goal.getByTestId('goal-title').fill(GOAL);
  await goal.getByTestId('goal-client-words').fill(CLIENT_WORDS);
  await goal.getByTestId('goal-due').fill('2027-08-01');
  await A.getByTestId('add-step').click();
  const step = A.getByTestId('step').first();
  await step.getByTestId('step-what').fill(STEP);
  await step.getByTestId('step-who').fill('Herr Kaya');
  await step.getByTestId('step-partner').selectOption({ label: ORG });
  await step.getByTestId('step-due').fill('2027-01-15');
  await A.getByTestId('add-step').click();
  await A.getByTestId('step').nth(1).getByTestId('step-what').fill(OLD_STEP);
  await A.getByTestId('review-date').fill('2027-03-01');

  const clientLink = await invite(A, 'Jonas', 'Klient/in');
  await joinByLink(client.page, clientLink, 'Jonas', 'Klient/in', A);
  const partnerLink = await invite(A, 'Herr Kaya', 'Netzwerkpartner/in', ORG);
  await joinByLink(partner.page, partnerLink, 'Herr Kaya', 'Netzwerkpartner/in', A);
  const everyone = [A, client.page, partner.page];
  for (const page of everyone) await expect(page.getByTestId('step-what').first()).toHaveValue(STEP);

  // The client's own view says there is nothing to print yet.
  await client.page.getByTestId('view-mine').click();
  await expect(client.page.getByTestId('my-print-none')).toContainText('noch keine Fassung');
  await expect(client.page.getByTestId('my-print-link')).toHaveCount(0);
  await client.page.getByTestId('view-full').click();

  // The host prepares (sees what the version will hold) and proposes; everyone sees the
  // proposal and who has to answer.
  await A.getByTestId('prepare-version').click();
  await expect(A.getByTestId('version-preview').locator('[data-testid=diff-goal][data-kind=added]')).toContainText(GOAL);
  await A.getByTestId('propose-version').click();
  for (const page of everyone) {
    await expect(page.getByTestId('version-pending')).toHaveAttribute('data-number', '1');
    for (const name of ['Frau Wagner', 'Jonas', 'Herr Kaya']) await expect(answerOf(page, name)).toHaveAttribute('data-state', 'offen');
  }
  await expect(client.page.getByTestId('pending-content')).toContainText(CLIENT_WORDS);

  await A.getByTestId('version-accept').click();
  await client.page.getByTestId('version-bedenkzeit').click();
  await partner.page.getByTestId('version-accept').click();
  for (const page of everyone) {
    await expect(answerOf(page, 'Frau Wagner')).toHaveAttribute('data-state', 'accept');
    await expect(answerOf(page, 'Jonas')).toHaveAttribute('data-state', 'bedenkzeit');
    await expect(answerOf(page, 'Herr Kaya')).toHaveAttribute('data-state', 'accept');
  }
  // Bedenkzeit holds the version open.
  await expect(A.getByTestId('version-frozen')).toHaveCount(0);

  await client.page.getByTestId('version-accept').click();
  for (const page of everyone) {
    await expect(frozen(page, 1).getByTestId('version-verify')).toHaveAttribute('data-state', 'ok');
    await expect(frozen(page, 1).getByTestId('version-verify')).toContainText('Unterschriften gültig');
    await expect(page.getByTestId('version-pending')).toHaveCount(0);
  }
  const hash = (await frozen(client.page, 1).getByTestId('frozen-hash').textContent())!.trim();
  expect(hash).toMatch(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/);

  // The client prints the agreed version on their own device; Chromium renders the PDF.
  await frozen(client.page, 1).getByTestId('version-print-link').click();
  const view = client.page.getByTestId('print-view');
  await expect(view).toContainText('Kooperationsplan / Zielvereinbarung');
  await expect(view.getByTestId('print-verified')).toBeVisible();
  await expect(client.page.getByTestId('print-button')).toHaveText('Drucken / als PDF speichern');
  const text = await pdfText(await client.page.pdf({ format: 'A4', printBackground: true }));
  for (const expected of [
    'Kooperationsplan / Zielvereinbarung',
    'Fassung 1',
    GOAL,
    CLIENT_WORDS,
    STEP,
    ORG,
    'Frau Wagner, Fallmanager/in',
    'Jonas, Klient/in',
    'Herr Kaya, Netzwerkpartner/in',
    'Nächste Überprüfung',
    // the step's due date and the review date, as dates on paper
    '15.01.2027',
    '01.03.2027',
    hash,
  ]) {
    expect(text, expected).toContain(expected);
  }
  for (const who of ['Frau Wagner, Fallmanager/in', 'Jonas, Klient/in', 'Herr Kaya, Netzwerkpartner/in']) {
    // e.g. "Jonas, Klient/in – zugestimmt am 23. November 2026"
    expect(text).toMatch(new RegExp(`${who} – zugestimmt am \\d{1,2}\\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \\d{4}`));
  }
  // The app's own controls are not on paper.
  expect(text).not.toContain('Drucken / als PDF speichern');
  expect(text).not.toContain('Konferenz');
  // The first page (A4 at 96 dpi). RT_SCREENSHOTS=1 refreshes the README's picture; otherwise it
  // goes to the test output, so a test run leaves the working tree as it was.
  await client.page.emulateMedia({ media: 'print' });
  await client.page.setViewportSize({ width: 794, height: 1123 });
  const docs = resolve(import.meta.dirname, '../../docs/screenshots');
  if (process.env.RT_SCREENSHOTS === '1') mkdirSync(docs, { recursive: true });
  await client.page.screenshot({ path: process.env.RT_SCREENSHOTS === '1' ? resolve(docs, 'print.png') : testInfo.outputPath('print.png') });
  // Back to the default, so page.pdf() below renders print media again.
  await client.page.emulateMedia({ media: null });
  await client.page.getByRole('link', { name: 'Zurück zum Fall' }).click();
  await expect(client.page.getByTestId('versions-section')).toBeVisible();

  // Fortschreibung: the step's date moves, a step goes, a step with a passed date comes; the
  // host must say why for the moved and the missed date before proposing version 2.
  await step.getByTestId('step-due').fill('2027-02-28');
  await A.getByTestId('step').nth(1).getByRole('button', { name: /Schritt entfernen/ }).click();
  await expect(A.getByTestId('step')).toHaveCount(1);
  await A.getByTestId('add-step').click();
  await A.getByTestId('step').nth(1).getByTestId('step-what').fill(NEW_STEP);
  await A.getByTestId('step').nth(1).getByTestId('step-due').fill('2024-06-30');
  await A.getByTestId('prepare-version').click();
  await expect(A.getByTestId('reason-input')).toHaveCount(2);
  await expect(A.getByTestId('propose-version')).toBeDisabled();
  await A.locator(`[data-testid=reason-input][data-label="${STEP}"]`).fill(REASON);
  await expect(A.getByTestId('propose-version')).toBeDisabled();
  await A.locator(`[data-testid=reason-input][data-label="${NEW_STEP}"]`).fill(MISSED_REASON);
  await A.getByTestId('propose-version').click();
  for (const page of [client.page, partner.page]) {
    const pending = page.getByTestId('version-pending');
    await expect(pending).toHaveAttribute('data-number', '2');
    const moved = pending.locator('[data-testid=diff-date][data-kind=moved]');
    await expect(moved).toContainText(STEP);
    await expect(moved).toContainText('15.01.2027');
    await expect(moved).toContainText('28.02.2027');
    await expect(moved.getByTestId('diff-reason')).toHaveText(`Grund: ${REASON}`);
    await expect(pending.locator('[data-testid=diff-step][data-kind=changed]')).toContainText(STEP);
    await expect(pending.locator('[data-testid=diff-step][data-kind=added]')).toHaveText(`neu: ${NEW_STEP}`);
    await expect(pending.locator('[data-testid=diff-step][data-kind=removed]')).toHaveText(`entfernt: ${OLD_STEP}`);
    const missed = pending.locator('[data-testid=diff-date][data-kind=missed]');
    await expect(missed).toContainText(`${NEW_STEP}: verpasst`);
    await expect(missed).toContainText('30.06.2024');
    await expect(missed.getByTestId('diff-reason')).toHaveText(`Grund: ${MISSED_REASON}`);
  }

  // The partner declines version 2, with a reason everyone sees; a decline without one is refused.
  await partner.page.getByTestId('version-decline').click();
  await partner.page.getByTestId('decline-send').click();
  await expect(partner.page.getByRole('alert')).toContainText('warum Sie ablehnen');
  await expect(answerOf(A, 'Herr Kaya')).toHaveAttribute('data-state', 'offen');
  await partner.page.getByTestId('decline-reason').fill('Februar ist zu spät, die Pfändung läuft ab Januar');
  await partner.page.getByTestId('decline-send').click();
  await expect(answerOf(A, 'Herr Kaya')).toHaveAttribute('data-state', 'decline');
  await expect(answerOf(A, 'Herr Kaya')).toContainText('Pfändung läuft ab Januar');
  await expect(frozen(A, 2)).toHaveCount(0);

  // The hostile peer puts a decline in Jonas's mouth: it shows, flagged as not his signature.
  await expect(A.getByTestId('answer-signature-bad')).toHaveCount(0);
  await partner.page.evaluate(() => {
    type Hook = { read(k: string): unknown; write(k: string, v: unknown): void };
    const hook = (window as unknown as { __runderTischVersions: Hook }).__runderTischVersions;
    const proposal = hook.read('proposal:2') as { content: { participants: { id: string; name: string }[] } };
    const id = (name: string) => proposal.content.participants.find((p) => p.name === name)!.id;
    const own = hook.read(`response:2:${id('Herr Kaya')}`) as Record<string, unknown>;
    hook.write(`response:2:${id('Jonas')}`, { ...own, participantId: id('Jonas'), reason: 'Ich will keine Ausbildung' });
  });
  for (const page of everyone) {
    await expect(answerOf(page, 'Jonas')).toHaveAttribute('data-state', 'decline');
    await expect(answerOf(page, 'Jonas').getByTestId('answer-signature-bad')).toHaveText('– Unterschrift ungültig');
  }
  await expect(answerOf(A, 'Herr Kaya').getByTestId('answer-signature-bad')).toHaveCount(0);

  // A hostile peer changes the goal in the stored snapshot of version 1, on every device.
  const TAMPERED = 'Keine Ausbildung, sofort irgendein Job';
  const tamper = () =>
    partner.page.evaluate((newTitle) => {
      const hook = (window as unknown as { __runderTischVersions: { read(k: string): unknown; write(k: string, v: unknown): void } }).__runderTischVersions;
      const snapshot = structuredClone(hook.read('frozen:1')) as { content: { goals: { title: string }[] } };
      snapshot.content.goals[0]!.title = newTitle;
      hook.write('frozen:1', snapshot);
    }, TAMPERED);
  const sharedTitle = () =>
    partner.page.evaluate(() => {
      const hook = (window as unknown as { __runderTischVersions: { read(k: string): unknown } }).__runderTischVersions;
      return (hook.read('frozen:1') as { content: { goals: { title: string }[] } }).content.goals[0]!.title;
    });
  await tamper();
  expect(await sharedTitle()).toBe(TAMPERED);
  // Every device kept the copy it verified: it shows that one, intact, and says the shared copy was altered.
  for (const page of everyone) {
    const v1 = frozen(page, 1);
    await expect(v1.getByTestId('version-altered')).toContainText('gemeinsame Kopie von Fassung 1 wurde verändert');
    await expect(v1).toHaveAttribute('data-source', 'kept');
    await expect(v1.getByTestId('version-verify')).toHaveAttribute('data-state', 'ok');
    await expect(v1.getByTestId('frozen-hash')).toHaveText(hash);
    await expect(v1.getByTestId('version-goal')).toContainText(GOAL);
    await expect(v1).not.toContainText(TAMPERED);
  }

  // A device without a kept copy (here its rows are wiped, as on a device set up anew) has only
  // the shared copy: it shows that copy, marked invalid, and offers nothing to restore.
  const wiped = await partner.page.evaluate(
    (docKey) =>
      new Promise<number>((done, fail) => {
        const open = indexedDB.open('runder-tisch');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('updates', 'readwrite');
          const index = tx.objectStore('updates').index('docKey');
          const keys = index.getAllKeys(docKey);
          keys.onsuccess = () => {
            for (const key of keys.result) tx.objectStore('updates').delete(key);
          };
          tx.oncomplete = () => {
            open.result.close();
            done(keys.result.length);
          };
          tx.onerror = () => fail(tx.error);
        };
      }),
    `${caseId}/local:frozen`,
  );
  expect(wiped).toBeGreaterThan(0);
  await partner.page.reload();
  const bare = frozen(partner.page, 1);
  await expect(bare.getByTestId('version-verify')).toHaveAttribute('data-state', 'bad');
  await expect(bare.getByTestId('version-verify')).toHaveText('✗ Verändert – ungültig');
  await expect(bare).toHaveAttribute('data-source', 'shared');
  await expect(bare.getByTestId('version-restore')).toHaveCount(0);
  await expect(bare.getByTestId('version-goal').first()).toContainText(TAMPERED);
  // The devices that kept their copy still show it intact.
  for (const page of [A, client.page]) {
    await expect(frozen(page, 1).getByTestId('version-verify')).toHaveAttribute('data-state', 'ok');
    await expect(frozen(page, 1).getByTestId('version-altered')).toBeVisible();
  }

  // The client prints from their own view ("Meine Vereinbarung"): the intact copy.
  await client.page.getByTestId('view-mine').click();
  await expect(client.page.getByTestId('my-print')).toContainText('Fassung 1');
  await client.page.getByTestId('my-print-link').click();
  const mine = client.page.getByTestId('print-view');
  await expect(mine.getByTestId('print-altered')).toContainText('Gedruckt wird die Kopie, die dieses Gerät geprüft');
  await expect(mine.getByTestId('print-verified')).toBeVisible();
  await expect(mine.getByTestId('print-invalid')).toHaveCount(0);
  const printed = await pdfText(await client.page.pdf({ format: 'A4', printBackground: true }));
  for (const expected of ['Kooperationsplan / Zielvereinbarung', 'Fassung 1', GOAL, CLIENT_WORDS, 'Jonas, Klient/in', hash]) expect(printed, expected).toContain(expected);
  expect(printed).not.toContain(TAMPERED);
  // The warning is for the screen; the paper is the agreed version.
  expect(printed).not.toContain('gemeinsame Kopie');
  await client.page.getByRole('link', { name: 'Zurück zum Fall' }).click();
  await expect(client.page.getByTestId('my-agreement')).toBeVisible();
  await client.page.getByTestId('view-full').click();

  // The host puts the intact copy back with one click; the warning goes away everywhere.
  await frozen(A, 1).getByTestId('version-restore').click();
  for (const page of everyone) {
    await expect(frozen(page, 1)).toHaveAttribute('data-source', 'shared');
    await expect(frozen(page, 1).getByTestId('version-altered')).toHaveCount(0);
    await expect(frozen(page, 1).getByTestId('version-verify')).toHaveAttribute('data-state', 'ok');
  }
  await expect.poll(sharedTitle).toBe(GOAL);

  // Altered again: the kept copy survives a reload, and the print view prints it.
  await tamper();
  await expect(frozen(A, 1).getByTestId('version-altered')).toBeVisible();
  await A.goto(`${server.url}/#/case/${caseId}/print/1`);
  const hostPrint = A.getByTestId('print-view');
  await expect(hostPrint.getByTestId('print-altered')).toBeVisible();
  await expect(hostPrint).toContainText(GOAL);
  await expect(hostPrint).not.toContainText(TAMPERED);
  await expect(hostPrint.getByTestId('print-hash')).toHaveText(hash);

  // Version 2 again, changed (the review moves), and this time everyone agrees.
  await A.goto(`${server.url}/#/case/${caseId}`);
  await expect(A.getByTestId('versions-section')).toBeVisible();
  await A.getByTestId('review-date').fill('2027-04-01');
  await A.getByTestId('prepare-version').click();
  await A.locator(`[data-testid=reason-input][data-label="${STEP}"]`).fill(REASON);
  await A.locator(`[data-testid=reason-input][data-label="${NEW_STEP}"]`).fill(MISSED_REASON);
  await A.getByTestId('propose-version').click();
  for (const page of everyone) await expect(answerOf(page, 'Jonas')).toHaveAttribute('data-state', 'offen');
  for (const page of everyone) await page.getByTestId('version-accept').click();
  for (const page of everyone) await expect(frozen(page, 2).getByTestId('version-verify')).toHaveAttribute('data-state', 'ok');

  // Version 3 is proposed with one more step; the client compares any two versions.
  await A.getByTestId('add-step').click();
  await A.getByTestId('step').nth(2).getByTestId('step-what').fill(LATER_STEP);
  await A.getByTestId('prepare-version').click();
  await A.locator(`[data-testid=reason-input][data-label="${NEW_STEP}"]`).fill(MISSED_REASON);
  await A.getByTestId('propose-version').click();
  const C = client.page;
  await expect(C.getByTestId('version-pending')).toHaveAttribute('data-number', '3');
  const compare = C.getByTestId('version-compare');
  await compare.locator('summary').click();
  await C.getByLabel('von Fassung').selectOption({ label: 'Fassung 1' });
  await C.getByLabel('bis Fassung').selectOption({ label: 'Fassung 3 (vorgeschlagen)' });
  const result = compare.getByTestId('compare-result');
  await expect(result).toHaveAttribute('data-from', '1');
  await expect(result).toHaveAttribute('data-to', '3');
  await expect(result.locator('[data-testid=diff-step][data-kind=added]')).toHaveText([`neu: ${NEW_STEP}`, `neu: ${LATER_STEP}`]);
  await expect(result.locator('[data-testid=diff-step][data-kind=removed]')).toHaveText(`entfernt: ${OLD_STEP}`);
  const movedAcross = result.locator('[data-testid=diff-date][data-kind=moved]').filter({ hasText: STEP });
  await expect(movedAcross).toContainText('15.01.2027');
  await expect(movedAcross).toContainText('28.02.2027');
  // The reason was given with version 2; comparing across it keeps it.
  await expect(movedAcross.getByTestId('diff-reason')).toHaveText(`Grund: ${REASON}`);
  await expect(result.locator('[data-testid=diff-date][data-kind=missed]').getByTestId('diff-reason')).toHaveText(`Grund: ${MISSED_REASON}`);
  // From 2 to 3 only the newest step is new.
  await C.getByLabel('von Fassung').selectOption({ label: 'Fassung 2' });
  await expect(result).toHaveAttribute('data-from', '2');
  await expect(result.locator('[data-testid=diff-step][data-kind=added]')).toHaveText(`neu: ${LATER_STEP}`);
  await expect(result.locator('[data-testid=diff-step][data-kind=removed]')).toHaveCount(0);
  await expect(result.locator('[data-testid=diff-date][data-kind=moved]')).toHaveCount(0);
});
