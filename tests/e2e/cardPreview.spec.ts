import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { createCase, expectSaved, goalTitles, newParticipant, startApp, stepTexts } from './app.ts';

/**
 * A case with many goals and steps opens with its cards as previews (every word, no controls),
 * and the cards are built in idle time or when the focus goes into one (LightFirst.svelte).
 */
test.describe.configure({ timeout: 120_000 });

const GOALS = 14;
const STEPS = 13;

/** Sub-goals and steps typed one by one (each of them built at once), then saved. */
async function fillCase(page: Page): Promise<void> {
  for (let i = 1; i <= GOALS; i++) {
    await page.getByTestId('add-sub-goal').click();
    await page.getByTestId('goal-title').last().fill(`Teilziel Nummer ${i}`);
  }
  for (let i = 1; i <= STEPS; i++) {
    await page.getByTestId('add-step').click();
    await page.getByTestId('step-what').last().fill(`Schritt Nummer ${i}`);
  }
  await expect(page.locator('[data-preview]')).toHaveCount(0);
  await expectSaved(page);
}

const expectedGoals = Array.from({ length: GOALS }, (_, i) => `Teilziel Nummer ${i + 1}`);
const expectedSteps = Array.from({ length: STEPS }, (_, i) => `Schritt Nummer ${i + 1}`);

test('a large case opens with previews that hold every word; the focus in a preview builds its card and keeps what is typed', async ({ browser }) => {
  const server = await startApp();
  const A = await newParticipant(browser);
  try {
    await createCase(A.page, server.url, 'Vorschau V.');
    const caseUrl = A.page.url();
    await fillCase(A.page);

    // Mock, the only one here: the browser's idle time never comes, so the cards stay previews
    // until someone moves the focus into them (in real use idle time comes within moments).
    await A.page.addInitScript(() => {
      window.requestIdleCallback = () => 0;
    });
    await A.page.reload();
    // The cards' previews (the Ausgangslage's plain text is one too, until its editor comes).
    const previews = A.page.locator('article[data-preview]');
    await expect(previews).toHaveCount(GOALS + STEPS);
    expect(await goalTitles(A.page)).toEqual(expectedGoals);
    expect(await stepTexts(A.page)).toEqual(expectedSteps);
    // A preview has no controls: none of the cards' remove buttons is there yet. The long lists
    // far below (the sub-goals' priority list, the minutes) come in idle time too (Later.svelte).
    await expect(A.page.getByRole('button', { name: /Ziel entfernen/ })).toHaveCount(0);
    await expect(A.page.getByTestId('goal-priorities')).toHaveCount(0);
    await expect(A.page.getByTestId('minutes')).toHaveCount(0);
    // Previews are as accessible as cards (WCAG 2.1 AA as axe checks it), all of them laid out.
    await A.page.setViewportSize({ width: 1280, height: 12_000 });
    const style = await A.page.addStyleTag({ content: '* { content-visibility: visible !important; }' });
    const axe = await new AxeBuilder({ page: A.page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .include('#section-goals')
      .include('#section-steps')
      .analyze();
    await style.evaluate((el) => (el as Element).remove());
    await A.page.setViewportSize({ width: 1280, height: 720 });
    expect(axe.passes.length).toBeGreaterThan(5);
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    await expect(previews).toHaveCount(GOALS + STEPS);

    // A click into a preview's field: the card is built, the field has the focus, typing lands.
    const seventh = A.page.getByTestId('goal-title').nth(6);
    await seventh.click();
    await A.page.keyboard.type(' und mehr');
    await expect(A.page.getByTestId('goal-title').nth(6)).toHaveValue('Teilziel Nummer 7 und mehr');
    await expect(A.page.getByTestId('goal-title').nth(6)).toBeFocused();
    await expect(previews).toHaveCount(GOALS + STEPS - 1);
    await expect(A.page.getByRole('button', { name: /Ziel entfernen/ })).toHaveCount(1);

    // The keyboard: Tab on from there reaches the next card's first field, still a preview; the
    // card is built and keeps the focus, so nothing typed goes astray.
    const eighth = await A.page.getByTestId('goal').nth(7).getAttribute('data-goal-id');
    let tabs = 0;
    while ((await A.page.evaluate(() => document.activeElement?.id)) !== `goal-${eighth}-title`) {
      expect(++tabs, 'Tab presses to reach the next card').toBeLessThan(60);
      await A.page.keyboard.press('Tab');
    }
    await A.page.keyboard.type(' per Tastatur');
    await expect(A.page.getByTestId('goal-title').nth(7)).toHaveValue('Teilziel Nummer 8 per Tastatur');
    await expect(previews).toHaveCount(GOALS + STEPS - 2);

    // A step's field, focused from elsewhere (a jump link, a screen reader).
    await A.page.getByTestId('step-what').nth(2).focus();
    await A.page.keyboard.type(' heute');
    await expect(A.page.getByTestId('step-what').nth(2)).toHaveValue('Schritt Nummer 3 heute');
    await expect(previews).toHaveCount(GOALS + STEPS - 3);
    await expectSaved(A.page);

    // Without the mock, idle time builds every card; what was typed is stored.
    await A.page.close();
    A.page = await A.context.newPage();
    await A.page.goto(caseUrl);
    await expect(A.page.getByRole('button', { name: /Ziel entfernen/ })).toHaveCount(GOALS);
    await expect(A.page.locator('[data-preview]')).toHaveCount(0);
    await expect(A.page.getByTestId('priority-row')).toHaveCount(GOALS);
    await expect(A.page.getByTestId('minutes')).toHaveCount(1);
    const goals = [...expectedGoals];
    goals[6] = 'Teilziel Nummer 7 und mehr';
    goals[7] = 'Teilziel Nummer 8 per Tastatur';
    const steps = [...expectedSteps];
    steps[2] = 'Schritt Nummer 3 heute';
    expect(await goalTitles(A.page)).toEqual(goals);
    expect(await stepTexts(A.page)).toEqual(steps);
  } finally {
    await A.context.close();
    await server.close();
  }
});
