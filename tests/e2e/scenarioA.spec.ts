import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectSaved, holdsAnyOf } from './app.ts';
import { threeAtTheTable, newCaseAtTheTable } from './table.ts';
import { received as receivedMessages } from './wire.ts';

// Scenario A of ../shared/domain/scenarios.md, played by three people on three devices.
test.describe.configure({ mode: 'serial' });
test.setTimeout(240_000);

const table = threeAtTheTable();

function isoIn(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return d.toISOString().slice(0, 10);
}

// Health texts, written into an item restricted to its topic: Herr Wolff is released for
// money matters only, so none of them may ever reach his device.
const HEALTH_PRO = 'Täglicher Cannabiskonsum';
const HEALTH_CLIENT = 'Ich kiffe jeden Tag, aber das ist kein Problem';
const HEALTH_DIVERGENCE = 'Jonas sieht im Konsum kein Hindernis für die Ausbildung';
const RESTRICTED = [HEALTH_PRO, HEALTH_CLIENT, HEALTH_DIVERGENCE];

const goal = (page: Page, index: number) => page.getByTestId('goal').nth(index);
const step = (page: Page, index: number) => page.getByTestId('step').nth(index);
const domain = (page: Page, name: string) => page.locator(`[data-testid=domain][data-domain=${name}]`);

async function fillText(locator: Locator, value: string) {
  await locator.fill(value);
  await expect(locator).toHaveValue(value);
}

/**
 * Every value on the plan screen, in order: equal arrays mean an identical plan. The
 * visibility choice differs by the scopes a device holds and is left out; with `without`
 * (a restricted scope and its domain's label), so is everything of that scope, as a device
 * not entitled to it must show.
 */
function planSnapshot(page: Page, without?: { scope: string; label: string }): Promise<string[]> {
  return page.locator('.case-main').evaluate(
    (main, without) =>
      [...main.querySelectorAll('input, textarea, select')]
        .filter((el) => (el as HTMLElement).dataset['testid'] !== 'assessment-visibility')
        .filter((el) => !without || !el.closest(`[data-scope="${without.scope}"]`))
        .filter((el) => !without || !(el.closest('label')?.textContent ?? '').trim().startsWith(`${without.label}:`))
        .map((el) => {
          const input = el as HTMLInputElement;
          return input.type === 'checkbox' || input.type === 'radio' ? `${input.id}:${input.checked}` : `${input.id}=${input.value}`;
        }),
    without,
  );
}

test('three people at one table write the plan of scenario A', async () => {
  const A = table.host.page;
  const B = table.client.page;
  const C = table.partner.page;

  // Jonas released the debt counsellor for money matters: only then may he join.
  await newCaseAtTheTable(table, 'Jonas B.', {
    hostName: 'Frau Aydin',
    clientName: 'Jonas',
    partner: { name: 'Herr Wolff', organisation: 'Caritas Schuldnerberatung', type: 'schuldnerberatung', topics: ['finanzen', 'finanzielles', 'austausch'] },
  });
  for (const page of [A, B, C]) await expect(page.getByTestId('participant')).toHaveCount(3);


  // Assessment: needs and strengths, the client's view next to the professional one.
  await domain(A, 'finanzen').getByTestId('add-need').click();
  await fillText(domain(A, 'finanzen').getByTestId('assessment-pro-view'), 'ca. 7.400 EUR Schulden (Handyverträge, Schwarzfahren)');
  await fillText(domain(B, 'finanzen').getByTestId('assessment-client-view'), 'Ich mache die Briefe nicht mehr auf');
  await domain(A, 'qualifikation').getByTestId('add-need').click();
  await fillText(domain(A, 'qualifikation').getByTestId('assessment-pro-view'), 'Kein Hauptschulabschluss');
  await domain(A, 'gesundheit').getByTestId('add-need').click();
  await expect(domain(A, 'gesundheit').getByTestId('assessment-item')).toHaveAttribute('data-scope', 'topic:gesundheit');
  await fillText(domain(A, 'gesundheit').getByTestId('assessment-pro-view'), HEALTH_PRO);
  await fillText(domain(B, 'gesundheit').getByTestId('assessment-client-view'), HEALTH_CLIENT);
  await fillText(domain(A, 'gesundheit').getByTestId('assessment-divergence'), HEALTH_DIVERGENCE);
  await domain(B, 'qualifikation').getByTestId('add-resource').click();
  await fillText(domain(B, 'qualifikation').locator('[data-kind=ressource]').getByTestId('assessment-client-view'), 'Ich will Kfz-Mechatroniker werden');
  await domain(A, 'intrapsychisch').getByTestId('add-resource').click();
  await fillText(domain(A, 'intrapsychisch').getByTestId('assessment-pro-view'), 'Motiviert, kommt zuverlässig zu Terminen');

  // Goals: Hauptziel and three Teilziele, with the client's own words.
  await A.getByTestId('add-main-goal').click();
  await fillText(goal(A, 0).getByTestId('goal-title'), 'Ausbildung als Kfz-Mechatroniker');
  await fillText(goal(A, 0).getByTestId('goal-indicator'), 'Ausbildungsvertrag ist unterschrieben');
  await goal(A, 0).getByTestId('goal-due').fill('2027-08-31');
  const subGoals = [
    ['Schuldenregulierung begonnen', 'Haushaltsplan und Gläubigerliste liegen vor', '2027-03-31', /Geld und Schulden/],
    ['Hauptschulabschluss an der Abendschule', 'Abschlusszeugnis liegt vor', '2027-07-31', /Schule und Beruf: Kein/],
    ['Konsum reduzieren', 'Drogentest negativ', '2027-06-30', /Gesundheit/],
  ] as const;
  for (const [i, [title, indicator, due, need]] of subGoals.entries()) {
    await A.getByTestId('add-sub-goal').click();
    const g = goal(A, i + 1);
    await fillText(g.getByTestId('goal-title'), title);
    await fillText(g.getByTestId('goal-indicator'), indicator);
    await g.getByTestId('goal-due').fill(due);
    await g.getByRole('checkbox', { name: need }).check();
  }
  await fillText(goal(B, 1).getByTestId('goal-client-words'), 'Meine Schulden in den Griff kriegen');
  await fillText(goal(B, 3).getByTestId('goal-client-words'), 'nicht mehr jeden Tag kiffen');

  // Dissent: Jonas does not accept the drug-test indicator. It is recorded, then resolved.
  await goal(B, 3).getByTestId('add-dissent').click();
  await fillText(goal(B, 3).getByTestId('dissent-text'), 'Einen Drogentest mache ich nicht mit');
  await expect(goal(A, 3).getByTestId('dissent-text')).toHaveValue('Einen Drogentest mache ich nicht mit');
  await fillText(goal(A, 3).getByTestId('goal-indicator'), 'Termine bei der Suchtberatung wahrgenommen');
  await fillText(goal(A, 3).getByTestId('dissent-resolution'), 'Indikator geändert: Termine bei der Suchtberatung');
  await goal(A, 3).getByTestId('dissent-toggle').click();
  for (const page of [A, B, C]) {
    await expect(goal(page, 3).getByTestId('dissent')).toHaveAttribute('data-resolved', 'true');
    await expect(goal(page, 3).getByTestId('dissent-text')).toHaveValue('Einen Drogentest mache ich nicht mit');
  }

  // Hilfeplan: each writes the steps they carry.
  await B.getByTestId('add-step').click();
  await fillText(step(B, 0).getByTestId('step-what'), 'Alle Gläubigerbriefe sammeln');
  await step(B, 0).getByTestId('step-responsible').selectOption('klient');
  await step(B, 0).getByTestId('step-own-activity').check();
  await step(B, 0).getByTestId('step-due').fill(isoIn(14));
  await step(B, 0).getByTestId('step-goal').selectOption({ label: 'Schuldenregulierung begonnen' });

  await C.getByTestId('add-step').click();
  await fillText(step(C, 1).getByTestId('step-what'), 'Schuldnerakte anlegen und Gläubiger anschreiben');
  await fillText(step(C, 1).getByTestId('step-who'), 'Herr Wolff');
  await step(C, 1).getByTestId('step-responsible').selectOption('partner');
  await step(C, 1).getByTestId('step-partner').selectOption({ label: 'Caritas Schuldnerberatung' });
  await step(C, 1).getByTestId('step-due').fill(isoIn(30));
  await step(C, 1).getByTestId('step-goal').selectOption({ label: 'Schuldenregulierung begonnen' });

  const hostSteps = [
    ['Platz an der Abendschule reservieren', 'Frau Lindqvist', 'partner', 'Hauptschulabschluss an der Abendschule'],
    ['Zwei Beratungstermine anbieten', 'Herr Petrov', 'partner', 'Konsum reduzieren'],
    ['Betreutes Wohnen U25 beantragen', 'Frau Aydin', 'fallmanager', ''],
  ] as const;
  for (const [i, [what, who, responsible, goalTitle]] of hostSteps.entries()) {
    await A.getByTestId('add-step').click();
    const s = step(A, i + 2);
    await fillText(s.getByTestId('step-what'), what);
    await fillText(s.getByTestId('step-who'), who);
    await s.getByTestId('step-responsible').selectOption(responsible);
    await s.getByTestId('step-due').fill(isoIn(21 + i));
    if (goalTitle) await s.getByTestId('step-goal').selectOption({ label: goalTitle });
  }
  // A gap: the help that is needed does not exist.
  await step(A, 4).getByTestId('step-gap').check();
  await fillText(step(A, 4).getByTestId('step-gap-description'), 'betreutes Wohnen U25, Wartezeit 9 Monate');

  // Review in 8 weeks at a Fallkonferenz; Herr Wolff reports back monthly by phone.
  await A.getByTestId('review-date').fill(isoIn(56));
  await A.getByTestId('review-mode').selectOption('fallkonferenz');
  await C.getByTestId('add-infoflow').click();
  await C.getByTestId('infoflow').first().getByTestId('infoflow-partner').selectOption({ label: 'Caritas Schuldnerberatung' });
  await fillText(C.getByTestId('infoflow-what').first(), 'Stand der Schuldnerakte');
  await fillText(C.getByTestId('infoflow-when').first(), 'monatlich, telefonisch');

  // Acceptance: Jonas agrees, but wants time to think about one sub-goal.
  for (const i of [0, 1, 2]) await goal(B, i).getByTestId('accept-zugestimmt').click();
  await goal(B, 3).getByTestId('accept-bedenkzeit').click();
  await goal(C, 1).getByTestId('accept-zugestimmt').click();
  await expect(A.locator('[data-testid=quality-item][data-rule=clientAccepted][data-status=amber]')).toHaveCount(1);
  await expect(goal(A, 3).locator('[data-testid=acceptance-row][data-state=bedenkzeit]')).toContainText('Jonas');
  // A week later he agrees.
  await goal(B, 3).getByTestId('accept-zugestimmt').click();

  // Everything green, on every device.
  for (const page of [A, B, C]) {
    await expect(page.getByTestId('quality-panel')).toBeVisible();
    await expect(page.locator('[data-testid=quality-item][data-status=red]')).toHaveCount(0);
    await expect(page.locator('[data-testid=quality-item][data-status=amber]')).toHaveCount(0);
  }

  // Jonas holds the identical plan; Herr Wolff, released for money matters only, holds all of
  // it except the health need, which was restricted to its topic when it was written.
  await expect.poll(() => planSnapshot(B)).toEqual(await planSnapshot(A));
  const health = { scope: 'topic:gesundheit', label: 'Gesundheit' };
  await expect.poll(() => planSnapshot(C)).toEqual(await planSnapshot(A, health));
  await expect(domain(C, 'gesundheit').getByTestId('assessment-item')).toHaveCount(0);
  for (const page of [A, B, C]) await expectSaved(page);

  // Not only hidden: none of the health texts ever reached his device, neither in what his data
  // channels received nor anywhere in his page's DOM, IndexedDB or JS heap.
  const wire = (await receivedMessages(C)).join('\n');
  expect(wire).toContain('Schuldenregulierung begonnen');
  expect(RESTRICTED.filter((text) => wire.includes(text))).toEqual([]);
  expect(await holdsAnyOf(C, RESTRICTED)).toEqual([]);
  // The same checks find the texts where they belong.
  expect(await holdsAnyOf(B, RESTRICTED)).toEqual(RESTRICTED);
});

test("the client's phone-sized view shows the client's own steps", async () => {
  const B = table.client.page;
  await B.setViewportSize({ width: 360, height: 740 });
  await B.getByTestId('view-mine').click();
  const mine = B.getByTestId('my-agreement');
  await expect(mine).toBeVisible();
  await expect(mine.getByTestId('my-step')).toHaveCount(1);
  await expect(mine.getByTestId('my-step')).toContainText('Alle Gläubigerbriefe sammeln');
  await expect(mine.getByTestId('my-goal').filter({ hasText: 'nicht mehr jeden Tag kiffen' })).toHaveCount(1);
  // Phone-sized means no sideways scrolling.
  expect(await B.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  // Nothing is hidden from the client: the full plan is one click away.
  await mine.getByTestId('show-all').click();
  await expect(B.getByTestId('step')).toHaveCount(5);
});
