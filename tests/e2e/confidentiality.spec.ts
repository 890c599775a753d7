import { expect, test, type Locator, type Page } from '@playwright/test';
import { holdsAnyOf } from './app.ts';
import { threeAtTheTable, newCaseAtTheTable } from './table.ts';
import { received } from './wire.ts';

const table = threeAtTheTable();

const HEALTH = 'Bandscheibenvorfall, Reha ab Mai';
const CONFIDENTIAL = 'Räumungsklage angedroht, Vermieter Krüger';
const SHARED = 'Führerschein Klasse B vorhanden';
const FINANCE = 'Stromschulden bei den Stadtwerken';
const CLIENT_HEALTH = 'Ich gehe jede Woche zur Physiotherapie';

const domain = (page: Page, name: string): Locator => page.locator(`[data-testid=domain][data-domain=${name}]`);

async function fillText(locator: Locator, value: string) {
  await locator.fill(value);
  await expect(locator).toHaveValue(value);
}

// Host and client share a room per scope (twelve each): slower to set up than one room.
test.describe.configure({ timeout: 180_000 });

test('restricted content never reaches a partner who is not released for it; the client sees everything', async () => {
  const A = table.host.page;
  const B = table.client.page;
  const C = table.partner.page;
  await newCaseAtTheTable(table, 'Jonas B.', {
    hostName: 'Frau Aydin',
    clientName: 'Jonas',
    partner: { name: 'Herr Wolff', organisation: 'Schuldnerberatung Süd', type: 'schuldnerberatung', topics: ['finanzen'] },
  });
  // The data channel recorder is in place and sees the table's traffic.
  await expect.poll(async () => (await received(C)).length).toBeGreaterThan(0);

  // A health need starts restricted to its topic.
  await domain(A, 'gesundheit').getByTestId('add-need').click();
  const health = domain(A, 'gesundheit').getByTestId('assessment-item');
  await expect(health).toHaveAttribute('data-scope', 'topic:gesundheit');
  await expect(health.getByTestId('visibility-badge')).toContainText('Einwilligung für Gesundheit');
  await fillText(health.getByTestId('assessment-client-view'), HEALTH);

  // A housing need is made confidential before anything is written into it.
  await domain(A, 'wohnen').getByTestId('add-need').click();
  const housing = domain(A, 'wohnen').getByTestId('assessment-item');
  await expect(housing).toHaveAttribute('data-scope', 'shared');
  await housing.getByTestId('assessment-visibility').selectOption({ label: 'vertraulich (Fallmanagement, Klient/in)' });
  await expect(housing).toHaveAttribute('data-scope', 'confidential');
  await expect(housing.getByTestId('visibility-badge')).toContainText('Vertraulich');
  await fillText(housing.getByTestId('assessment-pro-view'), CONFIDENTIAL);

  // Shared and money-matters items.
  await domain(A, 'qualifikation').getByTestId('add-resource').click();
  await fillText(domain(A, 'qualifikation').getByTestId('assessment-client-view'), SHARED);
  await domain(A, 'finanzen').getByTestId('add-need').click();
  const finance = domain(A, 'finanzen').getByTestId('assessment-item');
  await finance.getByTestId('assessment-visibility').selectOption({ label: 'nur mit Einwilligung für Geld und Schulden' });
  await expect(finance).toHaveAttribute('data-scope', 'topic:finanzen');
  await fillText(finance.getByTestId('assessment-pro-view'), FINANCE);

  // The client sees everything.
  await expect(domain(B, 'gesundheit').getByTestId('assessment-client-view')).toHaveValue(HEALTH);
  await expect(domain(B, 'wohnen').getByTestId('assessment-pro-view')).toHaveValue(CONFIDENTIAL);
  await expect(domain(B, 'qualifikation').getByTestId('assessment-client-view')).toHaveValue(SHARED);
  await expect(domain(B, 'finanzen').getByTestId('assessment-pro-view')).toHaveValue(FINANCE);
  await expect(domain(B, 'wohnen').getByTestId('visibility-badge')).toContainText('Vertraulich');

  // The client writes into the health need too.
  await fillText(domain(B, 'gesundheit').getByTestId('assessment-pro-view'), CLIENT_HEALTH);
  await expect(domain(A, 'gesundheit').getByTestId('assessment-pro-view')).toHaveValue(CLIENT_HEALTH);

  // The partner sees the shared item and the one he is released for, nothing else.
  await expect(domain(C, 'qualifikation').getByTestId('assessment-client-view')).toHaveValue(SHARED);
  await expect(domain(C, 'finanzen').getByTestId('assessment-pro-view')).toHaveValue(FINANCE);
  await expect(domain(C, 'gesundheit').getByTestId('assessment-item')).toHaveCount(0);
  await expect(domain(C, 'wohnen').getByTestId('assessment-item')).toHaveCount(0);
  // A later edit on the client's side still reaches him where he is entitled.
  await fillText(domain(B, 'finanzen').getByTestId('assessment-client-view'), 'Ich zahle in Raten');
  await expect(domain(C, 'finanzen').getByTestId('assessment-client-view')).toHaveValue('Ich zahle in Raten');

  expect(await holdsAnyOf(C, [HEALTH, CONFIDENTIAL, CLIENT_HEALTH])).toEqual([]);
  const wire = (await received(C)).join('\n');
  expect(wire).not.toContain(CLIENT_HEALTH);
  expect(wire).toContain(SHARED);
  expect(wire).not.toContain(HEALTH);
  expect(wire).not.toContain(CONFIDENTIAL);
  // The texts are in plain sight on the host and the client, so the checks above can find them.
  expect(await holdsAnyOf(B, [HEALTH, CONFIDENTIAL])).toEqual([HEALTH, CONFIDENTIAL]);
});

/** Scope rooms of this page in which at least one peer is connected. */
function connectedScopeRooms(page: Page): Promise<number> {
  return page.evaluate(() => {
    type Diagnostics = { rooms(): { kind: string; webrtc: { connected: boolean }[] }[] };
    const rooms = (window as unknown as { __runderTisch?: Diagnostics }).__runderTisch?.rooms() ?? [];
    return rooms.filter((r) => r.kind === 'scope' && r.webrtc.some((c) => c.connected)).length;
  });
}

test('a consent for health hands the partner that key; withdrawing the topic gives the scope a new key without him', async () => {
  const A = table.host.page;
  const B = table.client.page;
  const C = table.partner.page;
  await expect.poll(() => connectedScopeRooms(C)).toBe(1);
  const group = A.getByTestId('consent-partner').filter({ hasText: 'Schuldnerberatung Süd' });
  await group.getByTestId('consent-topic-gesundheit').last().check();
  await expect(domain(C, 'gesundheit').getByTestId('assessment-client-view')).toHaveValue(HEALTH);
  await expect.poll(() => connectedScopeRooms(C)).toBe(2);
  // Still nothing confidential.
  await expect(domain(C, 'wohnen').getByTestId('assessment-item')).toHaveCount(0);

  await group.getByTestId('consent-topic-gesundheit').last().uncheck();
  // Host and client move to the health scope's new room; he stays at the table for the rest.
  await expect.poll(() => connectedScopeRooms(C)).toBe(1);
  const LATER = 'Neuer Befund vom Orthopäden';
  await fillText(domain(A, 'gesundheit').getByTestId('assessment-pro-view'), LATER);
  await expect(domain(B, 'gesundheit').getByTestId('assessment-pro-view')).toHaveValue(LATER);
  await fillText(domain(A, 'finanzen').getByTestId('assessment-divergence'), 'Raten noch offen');
  await expect(domain(C, 'finanzen').getByTestId('assessment-divergence')).toHaveValue('Raten noch offen');
  expect(await holdsAnyOf(C, [LATER, CONFIDENTIAL])).toEqual([]);
  expect((await received(C)).join('\n')).not.toContain(LATER);
});

test('a goal made confidential never reaches the partner; its step warns and is restricted the same way', async () => {
  const A = table.host.page;
  const B = table.client.page;
  const C = table.partner.page;
  const GOAL = 'Schuldenfrei trotz Pfändung durch das Finanzamt';
  const STEP = 'Termin Insolvenzberatung, Unterlagen vom Gerichtsvollzieher mitbringen';
  const CONFIDENTIAL_LABEL = 'vertraulich (Fallmanagement, Klient/in)';

  await A.getByTestId('add-main-goal').click();
  const goal = A.getByTestId('goal').first();
  await goal.getByTestId('goal-visibility').selectOption({ label: CONFIDENTIAL_LABEL });
  await expect(A.getByTestId('goal').first().getByTestId('visibility-badge')).toContainText('Vertraulich');
  await fillText(A.getByTestId('goal').first().getByTestId('goal-title'), GOAL);

  // Case manager and client see it, marked; the partner has no goal at all.
  await expect(B.getByTestId('goal-title').first()).toHaveValue(GOAL);
  await expect(B.getByTestId('goal').first().getByTestId('visibility-badge')).toContainText('Vertraulich');
  await expect(C.getByTestId('goal')).toHaveCount(0);

  // A step for that goal is at first visible to everyone: the app warns and offers to restrict.
  await A.getByTestId('add-step').click();
  await A.getByTestId('step').first().getByTestId('step-goal').selectOption({ label: GOAL });
  const warning = A.getByTestId('step').first().getByTestId('visibility-parent-warning');
  await expect(warning).toContainText('eingeschränkt');
  await warning.getByTestId('visibility-like-parent').click();
  await expect(A.getByTestId('step').first().getByTestId('visibility-badge')).toContainText('Vertraulich');
  await expect(A.getByTestId('step').first().getByTestId('visibility-parent-warning')).toHaveCount(0);
  await fillText(A.getByTestId('step').first().getByTestId('step-what'), STEP);
  await expect(B.getByTestId('step-what').first()).toHaveValue(STEP);
  await expect(C.getByTestId('step')).toHaveCount(0);

  // The client edits the goal too; the partner still gets nothing of it.
  await fillText(B.getByTestId('goal-client-words').first(), 'Ich will keine Briefe mehr vom Amt');
  await expect(A.getByTestId('goal-client-words').first()).toHaveValue('Ich will keine Briefe mehr vom Amt');
  // A shared edit still reaches him, so he is connected while all this happens.
  await fillText(domain(A, 'qualifikation').getByTestId('assessment-divergence'), 'Zeugnis liegt vor');
  await expect(domain(C, 'qualifikation').getByTestId('assessment-divergence')).toHaveValue('Zeugnis liegt vor');

  const secrets = [GOAL, STEP, 'Ich will keine Briefe mehr vom Amt'];
  expect(await holdsAnyOf(C, secrets)).toEqual([]);
  const wire = (await received(C)).join('\n');
  for (const text of secrets) expect(wire).not.toContain(text);
  expect(wire).toContain('Zeugnis liegt vor');
  expect(await holdsAnyOf(B, secrets)).toEqual(secrets);
});
