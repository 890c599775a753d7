import { expect, test, type BrowserContext } from '@playwright/test';
import { createCase, expectSaved, invite, joinByLink, newParticipant, richText, startApp, startConference } from './app.ts';

/**
 * Our server's Content-Security-Policy (src/server/securityHeaders.ts) forbids eval. Nothing the
 * app does in a session may run into it: a violation is either a feature broken in production
 * or noise that would hide a real attack in the reports. Every page of both contexts records
 * the browser's `securitypolicyviolation` events from its first script on.
 */
async function recordViolations(context: BrowserContext): Promise<string[]> {
  const seen: string[] = [];
  await context.exposeBinding('__cspViolation', (_source, text: string) => void seen.push(text));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __cspViolation(text: string): void }).__cspViolation;
      void report(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  return seen;
}

test('a session (a case written, a conference, a guest typing, a reload) runs into no CSP violation', async ({ browser }) => {
  const server = await startApp();
  const host = await newParticipant(browser);
  const client = await newParticipant(browser);
  try {
    const hostSeen = await recordViolations(host.context);
    const clientSeen = await recordViolations(client.context);
    await createCase(host.page, server.url, 'Richtlinie R.');
    await host.page.locator('.ProseMirror').click();
    await host.page.keyboard.type('Ausgangslage vom Fallmanager.');
    await host.page.getByTestId('add-sub-goal').click();
    await host.page.getByTestId('goal-title').last().fill('Eine Ausbildung beginnen');
    await expectSaved(host.page);

    await startConference(host.page, 'Frau Aydin');
    await joinByLink(client.page, await invite(host.page, 'Herr Kaya', 'Klient/in'), 'Herr Kaya', 'Klient/in', host.page);
    await client.page.locator('.ProseMirror').click();
    await client.page.keyboard.press('Control+End');
    await client.page.keyboard.type(' Und vom Klienten.');
    await expect.poll(() => richText(host.page)).toBe('Ausgangslage vom Fallmanager. Und vom Klienten.');

    await host.page.reload();
    await expect(host.page.getByTestId('goal-title').last()).toHaveValue('Eine Ausbildung beginnen');
    await expect.poll(() => richText(host.page)).toBe('Ausgangslage vom Fallmanager. Und vom Klienten.');

    expect(hostSeen).toEqual([]);
    expect(clientSeen).toEqual([]);
  } finally {
    await host.context.close();
    await client.context.close();
    await server.close();
  }
});
