import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import {
  createCase,
  expectSaved,
  expectSyncedWebRtcPeer,
  expectWebRtcPeers,
  goalTitles,
  invite,
  caseRoomSecret,
  joinByLink,
  newParticipant,
  richText,
  startApp,
  startConference,
  stepTexts,
  type Participant,
} from './app.ts';
import { readEnvelope, writeEnvelope } from './sealedSignal.ts';

// One conference played through in order: live editing, then reload, then what the server saw.
test.describe.configure({ mode: 'serial' });

let server: RunningServer;
const frames: string[] = [];
let a: Participant;
let b: Participant;
let inviteLink = '';
let caseSecret = { roomId: '', key: '' };

const CASE_NAME = 'Jonas B.';
const MAIN_GOAL = 'Ausbildung als Kfz-Mechatroniker bis 08/2027';
const SUB_GOAL = 'Hauptschulabschluss an der Abendschule';
const STEP_A = 'Antrag auf Kosten für Lernmittel';
const STEP_B = 'Alle Gläubigerbriefe sammeln';
const RICH_A = 'Jonas wohnt nach einem Streit bei einem Freund.';
const RICH_B = 'Er möchte Kfz-Mechatroniker werden.';
const KNOCK_ORG = 'Jugendwerkstatt Am Kanal';
const PARTNER_ORG = 'Caritas Schuldnerberatung Nordstadt';
const CASE_TEXTS = [PARTNER_ORG, CASE_NAME, MAIN_GOAL, SUB_GOAL, STEP_A, STEP_B, RICH_A, RICH_B, 'Mechatroniker', 'Gläubiger'];

/**
 * Records the ICE servers of every RTCPeerConnection a page creates, both as asked for and as
 * the browser took them: no STUN/TURN server of a third party may learn who meets whom.
 */
async function recordIceServers(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const Original = window.RTCPeerConnection;
    const seen: { asked: unknown; used: unknown }[] = [];
    (window as unknown as { __iceServersSeen: typeof seen }).__iceServersSeen = seen;
    class Recording extends Original {
      constructor(config?: RTCConfiguration) {
        super(config);
        seen.push({ asked: config?.iceServers ?? null, used: this.getConfiguration().iceServers ?? null });
      }
    }
    window.RTCPeerConnection = Recording;
  });
}

function iceServersSeen(page: Page): Promise<{ asked: unknown; used: unknown }[]> {
  return page.evaluate(() => (window as unknown as { __iceServersSeen?: { asked: unknown; used: unknown }[] }).__iceServersSeen ?? []);
}

/** Every connection this page made was configured without any ICE server, and there was one. */
async function expectNoIceServers(page: Page): Promise<void> {
  const seen = await iceServersSeen(page);
  expect(seen.length).toBeGreaterThan(0);
  expect(seen.filter((c) => JSON.stringify(c.asked) !== '[]' || JSON.stringify(c.used) !== '[]')).toEqual([]);
}

/** The values in this device's IndexedDB that the signaling server must never see. */
function deviceSecrets(page: Page): Promise<{ publicKeys: string[]; scopeKeys: string[] }> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('runder-tisch');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(['cases', 'settings']);
          const identity = tx.objectStore('settings').get('deviceIdentity');
          const cases = tx.objectStore('cases').getAll();
          tx.oncomplete = () => {
            open.result.close();
            const keys = (identity.result?.value as { publicKeys?: { sign: string; agree: string } } | undefined)?.publicKeys;
            const scopes = (cases.result as { scopes?: Record<string, { key: string }> }[]).flatMap((c) => Object.values(c.scopes ?? {}).map((s) => s.key));
            resolve({ publicKeys: keys ? [keys.sign, keys.agree] : [], scopeKeys: scopes });
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}

test.beforeAll(async ({ browser }) => {
  server = await startApp({ onFrame: (data) => frames.push(data) });
  a = await newParticipant(browser);
  b = await newParticipant(browser);
  await recordIceServers(a.context);
  await recordIceServers(b.context);
});

test.afterAll(async () => {
  await a?.context.close();
  await b?.context.close();
  await server?.close();
});

test('host creates a case and a client joins by link; both co-edit over real WebRTC', async () => {
  await createCase(a.page, server.url, CASE_NAME);
  // The app asked for persistent storage and says what the browser answered.
  const persisted = await a.page.evaluate(() => navigator.storage.persisted());
  await expect(a.page.getByTestId('persist-status')).toHaveAttribute('data-persist', persisted ? 'granted' : 'denied');
  await expect(a.page.getByTestId('persist-status')).toContainText(persisted ? 'dauerhaft' : 'Sicherung');
  await a.page.getByTestId('add-main-goal').click();
  await a.page.getByTestId('goal-title').first().fill(MAIN_GOAL);
  await startConference(a.page, 'Frau Aydin');
  inviteLink = await invite(a.page, 'Jonas', 'Klient/in');

  const secret = new URL(inviteLink).hash.split('/');
  expect(secret[2]).toMatch(/^[A-Za-z0-9_-]{22}$/);
  expect(secret[3]).toMatch(/^[A-Za-z0-9_-]{43}$/);

  await joinByLink(b.page, inviteLink, 'Jonas', 'Klient/in', a.page, KNOCK_ORG);
  caseSecret = await caseRoomSecret(a.page);
  // The invite link opens the lobby, not the case: a different room and key.
  expect(caseSecret.roomId).not.toBe(secret[2]);
  expect(caseSecret.key).not.toBe(secret[3]);
  // The key is not left in the address bar or history once joined.
  expect(b.page.url()).not.toContain(secret[3]!);
  await expectSyncedWebRtcPeer(a.page);
  await expectSyncedWebRtcPeer(b.page);
  await expectWebRtcPeers(a.page);
  await expectWebRtcPeers(b.page);

  // B got the whole case.
  await expect.poll(() => goalTitles(b.page)).toEqual([MAIN_GOAL]);

  // Goals: B adds a sub-goal, A sees it; A edits it further, B sees that.
  await b.page.getByTestId('add-sub-goal').click();
  await b.page.getByTestId('goal-title').nth(1).fill(SUB_GOAL);
  await expect.poll(() => goalTitles(a.page)).toEqual([MAIN_GOAL, SUB_GOAL]);
  await a.page.getByTestId('goal-client-words').nth(1).fill('Ich will den Abschluss schaffen');
  await expect(b.page.getByTestId('goal-client-words').nth(1)).toHaveValue('Ich will den Abschluss schaffen');

  // A partner organisation on the case: case text like any other.
  await a.page.getByTestId('add-partner').click();
  await a.page.getByTestId('partner-organisation').first().fill(PARTNER_ORG);
  await expect(b.page.getByTestId('partner-organisation').first()).toHaveValue(PARTNER_ORG);

  // Steps, from both sides.
  await a.page.getByTestId('add-step').click();
  await a.page.getByTestId('step-what').first().fill(STEP_A);
  // B adds its step once A's is there: two steps made at once are ordered by Yjs client id, so
  // B's own could otherwise come first and `nth(1)` would be A's.
  await expect(b.page.getByTestId('step-what').first()).toHaveValue(STEP_A);
  await b.page.getByTestId('add-step').click();
  await b.page.getByTestId('step-what').nth(1).fill(STEP_B);
  await b.page.getByTestId('step-due').nth(1).fill('2026-12-07');
  await expect.poll(() => stepTexts(a.page)).toEqual([STEP_A, STEP_B]);
  await expect.poll(() => stepTexts(b.page)).toEqual([STEP_A, STEP_B]);
  await expect(a.page.getByTestId('step-due').nth(1)).toHaveValue('2026-12-07');
  // Pickers follow the other's choice, also one this person has picked in before.
  const responsibleA = a.page.getByTestId('step-responsible').first();
  const responsibleB = b.page.getByTestId('step-responsible').first();
  await responsibleB.selectOption('klient');
  await expect(responsibleA).toHaveValue('klient');
  await responsibleA.selectOption('partner');
  await expect(responsibleB).toHaveValue('partner');
  await expect(responsibleB.locator('option:checked')).toHaveText('Netzwerkpartner/in');

  // Rich text from both sides, and the other's caret with their name.
  await a.page.locator('.rich-text-content').click();
  await a.page.keyboard.type(RICH_A);
  await expect.poll(() => richText(b.page)).toBe(RICH_A);
  await b.page.locator('.rich-text-content').click();
  await b.page.keyboard.press('Control+End');
  await b.page.keyboard.press('Enter');
  await b.page.keyboard.type(RICH_B);
  await expect.poll(() => richText(a.page)).toBe(`${RICH_A}\n\n${RICH_B}`);
  await expect(a.page.locator('.collaboration-carets__label', { hasText: 'Jonas' })).toBeVisible();
  await expect(b.page.locator('.collaboration-carets__label', { hasText: 'Frau Aydin' })).toBeVisible();

  // Who is present: name, role and colour, on both sides.
  for (const page of [a.page, b.page]) {
    const list = page.getByTestId('participant');
    await expect(list).toHaveCount(2);
    await expect(page.getByTestId('presence')).toContainText('Frau Aydin – Fallmanager/in');
    await expect(page.getByTestId('presence')).toContainText('Jonas – Klient/in');
  }
  for (const page of [a.page, b.page]) {
    await expect
      .poll(async () => {
        const colours = await page
          .locator('[data-testid=participant] .dot')
          .evaluateAll((dots) => dots.map((d) => getComputedStyle(d).backgroundColor));
        return new Set(colours).size;
      })
      .toBe(2);
  }

  await expectSaved(a.page);
  await expectSaved(b.page);

  // Both devices connected (lobby and case rooms) with the default configuration: no ICE server.
  await expectNoIceServers(a.page);
  await expectNoIceServers(b.page);
});

test('after a reload each participant has everything from their own IndexedDB', async () => {
  // One at a time with the other page closed: no peer is there to send the data.
  await b.page.close();
  await a.page.reload();
  await expect.poll(() => goalTitles(a.page)).toEqual([MAIN_GOAL, SUB_GOAL]);
  await expect.poll(() => stepTexts(a.page)).toEqual([STEP_A, STEP_B]);
  await expect.poll(() => richText(a.page)).toBe(`${RICH_A}\n\n${RICH_B}`);
  await expectWebRtcPeers(a.page, 0);

  await a.page.close();
  b.page = await b.context.newPage();
  await b.page.goto(server.url);
  await expect(b.page.getByTestId('case-list')).toContainText(CASE_NAME);
  await b.page.getByRole('link', { name: CASE_NAME }).click();
  await expect.poll(() => goalTitles(b.page)).toEqual([MAIN_GOAL, SUB_GOAL]);
  await expect.poll(() => stepTexts(b.page)).toEqual([STEP_A, STEP_B]);
  await expect.poll(() => richText(b.page)).toBe(`${RICH_A}\n\n${RICH_B}`);
  await expect(b.page.getByTestId('goal-client-words').nth(1)).toHaveValue('Ich will den Abschluss schaffen');

  // And they meet again by themselves when both are back.
  a.page = await a.context.newPage();
  await a.page.goto(`${server.url}/#/`);
  await a.page.getByRole('link', { name: CASE_NAME }).click();
  await expectWebRtcPeers(a.page);
  await expectWebRtcPeers(b.page);
  // The reloaded pages, too.
  await expectNoIceServers(a.page);
  await expectNoIceServers(b.page);
});

test('the signaling server never saw a key, a name, a role, an organisation, a fingerprint or any case text', async () => {
  const lobbyKey = new URL(inviteLink).hash.split('/')[3]!;
  // Presence arrives just after the connection (a reconnect first looks into the room).
  await expect(a.page.getByTestId('participant-fingerprint')).toHaveCount(2);
  const fingerprints = await a.page.getByTestId('participant-fingerprint').allTextContents();
  expect(fingerprints.length).toBe(2);
  // The device keys each sent in its knock or presence and that stand in the participant
  // records, and the further scope keys from the host's case record.
  const host = await deviceSecrets(a.page);
  const client = await deviceSecrets(b.page);
  expect(host.publicKeys).toHaveLength(2);
  expect(client.publicKeys).toHaveLength(2);
  expect(new Set([...host.publicKeys, ...client.publicKeys]).size).toBe(4);
  expect(host.scopeKeys.length).toBeGreaterThan(0);
  const keys = [...host.publicKeys, ...client.publicKeys, ...host.scopeKeys, ...client.scopeKeys];
  const secrets = [lobbyKey, caseSecret.key, ...keys, ...fingerprints, 'Frau Aydin', 'Jonas', 'Fallmanager', 'fallmanager', '"klient"', 'Klient/in', KNOCK_ORG];
  expect(frames.length).toBeGreaterThan(10);
  // It did relay our traffic: the room ids (random topic names) are there.
  const lobbyId = new URL(inviteLink).hash.split('/')[2]!;
  expect(frames.some((f) => f.includes(lobbyId))).toBe(true);
  expect(frames.some((f) => f.includes(caseSecret.roomId))).toBe(true);
  // One assertion over all pairs: an expect per frame and text takes minutes on thousands of frames.
  const found = [...secrets, ...CASE_TEXTS].filter((text) => frames.some((frame) => readableIn(frame, text)));
  expect(found).toEqual([]);
  // The exception readableIn makes holds only for what really is sealed, and the signals are.
  expect(frames.filter((f) => sealedMessage(f) !== null).length).toBeGreaterThan(10);
  expect(readableIn(JSON.stringify({ type: 'publish', topic: 't', data: 'AAAAxJonasxA' }), 'Jonas')).toBe(true);
  expect(readableIn(JSON.stringify({ type: 'publish', topic: 't', data: 'Jonas' }), 'Jonas')).toBe(true);
  expect(readableIn(JSON.stringify({ type: 'publish', topic: 'Jonas', data: sealedLike('xJonasxA') }), 'Jonas')).toBe(true);
  expect(readableIn(JSON.stringify({ type: 'publish', topic: 't', data: sealedLike('xJonasxA') }), 'Jonas')).toBe(false);
  // Signal payloads are ciphertext, not SDP in the clear.
  expect(frames.some((f) => f.includes('"sdp"'))).toBe(false);
});

/**
 * Whether the server could read `text` in `frame`. y-webrtc publishes every signal as base64 of
 * its AES-GCM envelope, and base64 of random bytes holds a given five-letter word now and then
 * (about once in some hundreds of runs of this test, for "Jonas"). A `data` value that is such
 * an envelope is unreadable to the server and not searched; everything else in the frame is,
 * a `data` value that is plain text or base64 of anything else too.
 */
function readableIn(frame: string, text: string): boolean {
  if (!frame.includes(text)) return false;
  const message = sealedMessage(frame);
  return message === null || JSON.stringify({ ...message, data: '' }).includes(text);
}

/** The frame as JSON if its `data` is a sealed signal, else null. */
function sealedMessage(frame: string): { data: string } | null {
  let message: unknown;
  try {
    message = JSON.parse(frame);
  } catch {
    return null;
  }
  const data = (message as { data?: unknown }).data;
  return typeof data === 'string' && readEnvelope(data) ? (message as { data: string }) : null;
}

/** A sealed signal whose base64 carries `word` (8 characters), for the check of readableIn. */
function sealedLike(word: string): string {
  // 'AES-GCM', a 12-byte iv and the cipher's length take 22 bytes: two more and the cipher's
  // next bytes start a base64 group of their own, written here as the word.
  return writeEnvelope({ iv: new Uint8Array(12), cipher: new Uint8Array([0, 0, ...Buffer.from(word, 'base64')]) });
}
