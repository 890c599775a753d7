import { expect, test, type Page } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import {
  createCase,
  expectSaved,
  expectWebRtcPeers,
  goalTitles,
  indexedDbDump,
  invite,
  joinByLink,
  newParticipant,
  richText,
  startApp,
  startConference,
  type Participant,
} from './app.ts';

let server: RunningServer;
let host: Participant;
let client: Participant;

const GOAL = 'Ausbildung zur Köchin beginnen';
const SITUATION = 'Lea wohnt seit März in einer eigenen Wohnung.';
const PARTNER = 'Jugendberufshilfe Süd';
const BETTER = 'Termine bitte nicht so früh am Morgen';

test.describe.configure({ mode: 'serial', timeout: 240_000 });

test.beforeAll(async ({ browser }) => {
  server = await startApp();
  host = await newParticipant(browser);
  client = await newParticipant(browser);
});

test.afterAll(async () => {
  for (const p of [host, client]) await p?.context.close();
  await server?.close();
});

/** Everything the closed page offers for editing is off, and typing into it changes nothing. */
async function expectReadOnly(page: Page): Promise<void> {
  await expect(page.getByTestId('closed-banner')).toContainText('Dieser Fall ist abgeschlossen');
  await expect(page.getByTestId('case-content')).toHaveAttribute('disabled', '');
  const title = page.getByTestId('goal-title').first();
  await expect(title).toBeDisabled();
  await expect(page.getByTestId('add-sub-goal')).toBeDisabled();
  await expect(page.getByTestId('closure-reason')).toBeDisabled();
  await expect(page.getByTestId('closure-aftercare')).toBeDisabled();
  // A forced click and keystrokes: the disabled input takes no focus, the editor takes no text.
  await title.scrollIntoViewIfNeeded();
  // Scrolled into view, a card (`content-visibility: auto`) is laid out with the next frame; a
  // forced click does not wait for that by itself.
  await expect(title).toBeVisible();
  await title.click({ force: true });
  await page.keyboard.type('XYZ');
  expect(await goalTitles(page)).toEqual([GOAL]);
  const editor = page.getByTestId('richtext-ausgangslage').locator('[contenteditable]');
  await expect(editor).toHaveAttribute('contenteditable', 'false');
  // click() finds the editor again if it was just made anew (the conference connecting).
  await editor.click();
  await page.keyboard.type('XYZ');
  expect(await richText(page)).toBe(SITUATION);
}

/** The stored rows of one document on this device, as text (Yjs writes strings as UTF-8). */
function storedText(page: Page, docKey: string): Promise<string> {
  return page.evaluate(
    (docKey) =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('runder-tisch');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const read = open.result.transaction('updates').objectStore('updates').index('docKey').getAll(docKey);
          read.onsuccess = () => {
            open.result.close();
            resolve((read.result as { update?: Uint8Array }[]).map((r) => (r.update ? new TextDecoder().decode(r.update) : '')).join('\n'));
          };
        };
      }),
    docKey,
  );
}

test('the case manager closes with the client’s feedback given on the client’s own device; both sides are read-only after', async () => {
  const A = host.page;
  const B = client.page;
  const caseId = await createCase(A, server.url, 'Lea K.');
  await A.getByTestId('add-main-goal').click();
  await A.getByTestId('goal-title').first().fill(GOAL);
  await A.getByTestId('richtext-ausgangslage').locator('[contenteditable]').click();
  await A.keyboard.type(SITUATION);
  await A.getByTestId('add-partner').click();
  await A.getByTestId('partner-organisation').last().fill(PARTNER);
  await startConference(A, 'Frau Yilmaz');
  await joinByLink(B, await invite(A, 'Lea', 'Klient/in'), 'Lea', 'Klient/in', A);
  await expectWebRtcPeers(A, 1);
  await expect.poll(() => goalTitles(B)).toEqual([GOAL]);

  // Before closure begins, the client's view has no questionnaire.
  await B.getByTestId('view-mine').click();
  await expect(B.getByTestId('my-agreement')).toBeVisible();
  await expect(B.getByTestId('client-feedback')).toHaveCount(0);

  // The case manager begins closure; what is missing is listed and closing is not offered yet.
  await A.getByTestId('closure-start').click();
  await expect(A.getByTestId('closure-missing')).toContainText('der Grund für den Abschluss');
  await expect(A.getByTestId('closure-missing')).toContainText(`die Zielerreichung für „${GOAL}“`);
  await expect(A.getByTestId('closure-close')).toBeDisabled();

  // The client answers on her own device, by keyboard, in plain language.
  const form = B.getByTestId('client-feedback');
  await expect(form).toContainText('Ihre Meinung zählt');
  await form.getByTestId('client-feedback-ernstGenommen').getByLabel('Ja', { exact: true }).check();
  await form.getByTestId('client-feedback-planGeholfen').getByLabel('Teils', { exact: true }).focus();
  await B.keyboard.press('Space');
  await expect(form.getByTestId('client-feedback-planGeholfen').getByLabel('Teils', { exact: true })).toBeChecked();
  await form.getByLabel('Was sollen wir besser machen?').fill(BETTER);
  await form.getByTestId('client-feedback-send').focus();
  await B.keyboard.press('Enter');
  await expect(form.getByTestId('client-feedback-sent')).toBeVisible();

  // It arrives on the case manager's device.
  const received = A.getByTestId('closure-feedback');
  await expect(received.getByTestId('closure-feedback-ernstGenommen')).toHaveText('Ja');
  await expect(received.getByTestId('closure-feedback-planGeholfen')).toHaveText('Teils');
  await expect(received.getByTestId('closure-feedback-verstanden')).toHaveText('keine Antwort');
  await expect(received.getByTestId('closure-feedback-better')).toContainText(BETTER);
  await expect(received).toContainText('Von Lea');
  // The client's words went into the confidential document, which no partner receives.
  await expectSaved(B);
  expect(await storedText(B, `${caseId}/confidential`)).toContain(BETTER);
  expect(await storedText(B, `${caseId}/shared`)).not.toContain(BETTER);
  expect(await storedText(B, `${caseId}/shared`)).toContain(GOAL);

  // Attainment, reason, feedback with the partner both ways, aftercare.
  const goal = A.getByTestId('closure-goal').filter({ hasText: GOAL });
  await goal.getByLabel('teilweise erreicht', { exact: true }).check();
  await goal.getByTestId('closure-goal-note').fill('Vertrag unterschrieben, Beginn im August');
  await goal.getByTestId('closure-goal-note').blur();
  await A.getByTestId('closure-reason').selectOption({ label: 'Ausbildung' });
  const partner = A.getByTestId('closure-partner').filter({ has: A.getByLabel(`Rückmeldung von ${PARTNER} an das Jobcenter`) });
  await partner.getByTestId('closure-partner-vomPartner').fill('Absprachen waren verlässlich');
  await partner.getByTestId('closure-partner-anPartner').fill('Danke für die schnellen Termine');
  await partner.getByTestId('closure-partner-anPartner').blur();
  await A.getByTestId('closure-aftercare').fill('Anruf bei Lea nach der Probezeit');
  await expect(A.getByTestId('closure-ready')).toBeVisible();

  // The client sees the same record in the full view while it is written.
  await B.getByTestId('view-full').click();
  await expect(B.getByTestId('closure-partner-vomPartner')).toHaveValue('Absprachen waren verlässlich');
  await expect(B.getByTestId('closure-aftercare')).toHaveValue('Anruf bei Lea nach der Probezeit');

  // Closing asks first; Escape leaves the case open.
  const retention = await A.getByTestId('closure-retention').inputValue();
  const today = (await A.getByTestId('closure-retention').getAttribute('min'))!;
  expect(retention > today).toBe(true);
  await A.getByTestId('closure-close').click();
  await expect(A.getByTestId('closure-confirm')).toBeVisible();
  await A.keyboard.press('Escape');
  await expect(A.getByTestId('closed-banner')).toHaveCount(0);
  await A.getByTestId('closure-close').click();
  await A.getByTestId('closure-confirm-yes').click();

  for (const page of [A, B]) await expectReadOnly(page);
  await expect(B.getByTestId('closure-feedback-better')).toContainText(BETTER);
  await B.getByTestId('view-mine').click();
  await expect(B.getByTestId('client-feedback-closed')).toBeVisible();
  await expect(B.getByTestId('client-feedback-better')).toBeDisabled();
  await expect(B.getByTestId('client-feedback-better')).toHaveValue(BETTER);
  await expect(B.getByTestId('client-feedback-send')).toHaveCount(0);

  // Deleting this device's copy is refused before the retention date, which is named.
  for (const page of [A, B]) {
    await expect(page.getByTestId('closed-delete')).toBeDisabled();
    await expect(page.getByTestId('closed-retention')).toContainText('muss bis zum');
  }

  // A reload keeps it closed, on both devices, from their own storage.
  for (const page of [A, B]) {
    await expectSaved(page);
    await page.reload();
    await expect(page.getByTestId('view-full')).toBeVisible();
    await page.getByTestId('view-full').click();
    await expectReadOnly(page);
    await expect(page.getByTestId('closed-delete')).toBeDisabled();
    await expect(page.getByTestId('closure-retention-until')).toBeVisible();
  }
  await expect(A.getByTestId('closure-feedback-planGeholfen')).toHaveText('Teils');
});

test('a closed case whose retention date has come is deleted from this device after confirmation', async () => {
  const A = host.page;
  const caseId = await createCase(A, server.url, 'Kurz K.');
  await A.getByTestId('closure-start').click();
  await A.getByTestId('closure-reason').selectOption({ label: 'Umzug' });
  const today = (await A.getByTestId('closure-retention').getAttribute('min'))!;
  // Keeping it for no longer than the closing day is allowed (nothing earlier).
  await A.getByTestId('closure-retention').fill(today);
  await A.getByTestId('closure-close').click();
  await A.getByTestId('closure-confirm-yes').click();
  await expect(A.getByTestId('closed-retention')).toContainText('Sie können die Kopie auf diesem Gerät jetzt löschen');
  await expectSaved(A);
  expect(await indexedDbDump(A, 'text')).toContain(caseId);

  // Cancelling keeps it; confirming deletes the case and every stored document of it.
  await A.getByTestId('closed-delete').click();
  await A.getByRole('button', { name: 'Abbrechen' }).click();
  await expect(A.getByTestId('case-title')).toBeVisible();
  await A.getByTestId('closed-delete').click();
  await A.getByTestId('closed-delete-confirm-yes').click();
  await expect(A).toHaveURL(/#\/$/);
  await expect(A.getByRole('link', { name: 'Kurz K.' })).toHaveCount(0);
  await expect(A.getByRole('link', { name: 'Lea K.' })).toBeVisible();
  await expect.poll(async () => (await indexedDbDump(A, 'text')).includes(caseId)).toBe(false);
});
