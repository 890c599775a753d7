import { expect, test, type Page } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import { createCase, expectWebRtcPeers, invite, joinByLink, newParticipant, richText, startApp, startConference, type Participant } from './app.ts';

/**
 * Two people write in the Ausgangslage at once, in different paragraphs, adding and splitting
 * paragraphs and making a list while the other types. Each person's words stay together where
 * they wrote them, and both editors end with the same text and the same blocks. (A remote edit no
 * longer scrolls anyone's cursor into view, src/case/richTextBinding.ts: each keeps writing
 * where they were. An earlier attempt to keep the binding's node cache across remote edits lost
 * a paragraph here.)
 */

let server: RunningServer;
let host: Participant;
let client: Participant;

test.beforeAll(async ({ browser }) => {
  server = await startApp();
  host = await newParticipant(browser);
  client = await newParticipant(browser);
});

test.afterAll(async () => {
  for (const p of [host, client]) await p?.context.close();
  await server?.close();
});

function editor(page: Page) {
  return page.getByTestId('richtext-ausgangslage').locator('[contenteditable=true]');
}

/** The blocks as tag and text, remote carets (decorations) left out. */
function blocks(page: Page): Promise<string[]> {
  return editor(page).evaluate((root) => {
    const out: string[] = [];
    const walk = (el: Element, path: string) => {
      for (const child of el.children) {
        if (child.classList.contains('collaboration-carets__caret')) continue;
        const tag = child.tagName.toLowerCase();
        if (tag === 'p') {
          const copy = child.cloneNode(true) as Element;
          copy.querySelectorAll('.collaboration-carets__caret').forEach((c) => c.remove());
          out.push(`${path}p:${copy.textContent}`);
        } else walk(child, `${path}${tag}>`);
      }
    };
    walk(root, '');
    return out;
  });
}

const FIRST = 'Erster Absatz: Dennis wohnt seit März bei seiner Schwester.';
const SECOND = 'Zweiter Absatz: Die AGH-Stelle läuft bis Juni.';
const THIRD = 'Dritter Absatz: Schulden bei zwei Versandhäusern.';
const HOST_WORDS = ' Die Wohnung ist über das Wohnungsamt beantragt.';
const HOST_NEW = 'Nachtrag von Frau Aydin.';
const CLIENT_WORDS = ' Termin bei der Schuldnerberatung am Montag.';
const CLIENT_ITEM = 'Unterlagen mitbringen';

test('two people writing in different paragraphs at once, with new paragraphs and a list, keep their words together', async () => {
  await createCase(host.page, server.url, 'Dennis K. Textprobe');
  await editor(host.page).click();
  await host.page.keyboard.type(FIRST);
  await host.page.keyboard.press('Enter');
  await host.page.keyboard.type(SECOND);
  await host.page.keyboard.press('Enter');
  await host.page.keyboard.type(THIRD);
  await startConference(host.page, 'Frau Aydin');
  await joinByLink(client.page, await invite(host.page, 'Dennis', 'Klient/in'), 'Dennis', 'Klient/in', host.page);
  await expectWebRtcPeers(host.page, 1);
  await expect.poll(() => richText(client.page)).toBe(await richText(host.page));

  // She writes at the end of the first paragraph, he at the end of the last one.
  await editor(host.page).locator('p', { hasText: 'Erster Absatz' }).click();
  await host.page.keyboard.press('End');
  await editor(client.page).click();
  await client.page.keyboard.press('Control+End');
  await Promise.all([
    (async () => {
      await host.page.keyboard.type(HOST_WORDS, { delay: 20 });
      await host.page.keyboard.press('Enter');
      await host.page.keyboard.type(HOST_NEW, { delay: 20 });
    })(),
    (async () => {
      await client.page.keyboard.type(CLIENT_WORDS, { delay: 20 });
      await client.page.keyboard.press('Enter');
      await client.page.locator('#section-situation').getByRole('button', { name: 'Aufzählung' }).click();
      await client.page.keyboard.type(CLIENT_ITEM, { delay: 20 });
    })(),
  ]);

  const expected = [
    `p:${FIRST}${HOST_WORDS}`,
    `p:${HOST_NEW}`,
    `p:${SECOND}`,
    `p:${THIRD}${CLIENT_WORDS}`,
    `ul>li>p:${CLIENT_ITEM}`,
    // The editor keeps an empty paragraph after a list, so one can write on below it.
    'p:',
  ];
  await expect.poll(() => blocks(host.page)).toEqual(expected);
  await expect.poll(() => blocks(client.page)).toEqual(expected);
  expect(await richText(client.page)).toBe(await richText(host.page));

  // Both carets are still where their person was writing: one more word each lands there.
  await Promise.all([host.page.keyboard.type(' Ende.'), client.page.keyboard.type(' auch')]);
  expected[1] = `p:${HOST_NEW} Ende.`;
  expected[4] = `ul>li>p:${CLIENT_ITEM} auch`;
  await expect.poll(() => blocks(host.page)).toEqual(expected);
  await expect.poll(() => blocks(client.page)).toEqual(expected);
});

test("the toolbar shows the state at one's own caret, also when the other person changes the text there", async () => {
  // Continues from the test above: her caret after "Ende.", his at the end of the list item.
  const button = (page: Page, name: string) => page.locator('#section-situation').getByRole('button', { name });
  await expect(button(client.page, 'Aufzählung')).toHaveAttribute('aria-pressed', 'true');
  await expect(button(client.page, 'Fett')).toHaveAttribute('aria-pressed', 'false');

  // She makes his list item bold: his caret is now in bold text, so his „Fett“ is on.
  await editor(host.page).locator('li p').click();
  await host.page.keyboard.press('End');
  await host.page.keyboard.press('Shift+Home');
  await button(host.page, 'Fett').click();
  await expect(button(host.page, 'Fett')).toHaveAttribute('aria-pressed', 'true');
  await expect(button(client.page, 'Fett')).toHaveAttribute('aria-pressed', 'true');
  await expect(button(client.page, 'Aufzählung')).toHaveAttribute('aria-pressed', 'true');

  // She writes on in her own paragraph: his toolbar stays as it is.
  await editor(host.page).locator('p', { hasText: 'Ende.' }).click();
  await host.page.keyboard.press('End');
  await host.page.keyboard.type(' Gut.');
  await expect.poll(() => blocks(client.page)).toContain(`p:${HOST_NEW} Ende. Gut.`);
  await expect(button(client.page, 'Fett')).toHaveAttribute('aria-pressed', 'true');

  // His caret moves up out of the list, into plain text: both buttons go off.
  await client.page.keyboard.press('ArrowUp');
  await expect(button(client.page, 'Aufzählung')).toHaveAttribute('aria-pressed', 'false');
  await expect(button(client.page, 'Fett')).toHaveAttribute('aria-pressed', 'false');
});
