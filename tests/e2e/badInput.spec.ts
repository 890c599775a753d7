import { expect, test } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import { newParticipant, startApp } from './app.ts';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startApp();
});

test.afterAll(async () => {
  await server?.close();
});

const VALID_ROOM = 'AAAAAAAAAAAAAAAAAAAAAA';
const VALID_KEY = 'A'.repeat(43);

for (const [label, hash, message] of [
  ['without key', `#/join/${VALID_ROOM}`, 'enthält keinen Schlüssel'],
  ['empty', '#/join/', 'enthält keinen Schlüssel'],
  ['short room id', `#/join/kurz/${VALID_KEY}`, 'unvollständig oder beschädigt'],
  ['short key', `#/join/${VALID_ROOM}/${VALID_KEY.slice(1)}`, 'unvollständig oder beschädigt'],
  ['markup in key', `#/join/${VALID_ROOM}/${VALID_KEY.slice(1)}%3Cscript%3E`, 'unvollständig oder beschädigt'],
] as const) {
  test(`invite link (${label}) gets a clear German message and creates nothing`, async ({ browser }) => {
    const p = await newParticipant(browser);
    await p.page.goto(`${server.url}/${hash}`);
    await expect(p.page.getByTestId('invite-error')).toContainText(message);
    await expect(p.page.getByRole('button', { name: 'Beitreten' })).toHaveCount(0);
    const databases = await p.page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
    expect(databases).not.toContain('runder-tisch');
    expect(server.signaling.stats()).toEqual({ connections: 0, topics: 0 });
    await p.context.close();
  });
}
