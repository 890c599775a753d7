import { expect, test, type Page } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import { newParticipant, startApp, startConference, type Participant } from './app.ts';

// One person, one device: the case list as a dashboard (issue 7). No peer needed.
test.describe.configure({ mode: 'serial' });

let server: RunningServer;
let me: Participant;

test.beforeAll(async ({ browser }) => {
  server = await startApp();
  me = await newParticipant(browser);
});

test.afterAll(async () => {
  await me?.context.close();
  await server?.close();
});

const pad = (n: number) => String(n).padStart(2, '0');
/** A calendar day in local time, as the app (isoDay) and the date inputs use it. */
const day = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const addDays = (days: number) => {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return day(d);
};
/** The month `months` calendar months from now, as YYYY-MM, and the birth month 25 years before. */
function monthAhead(months: number): { birthday: Date; birthMonth: string } {
  const now = new Date();
  const birthday = new Date(now.getFullYear(), now.getMonth() + months, 1);
  return { birthday, birthMonth: `${birthday.getFullYear() - 25}-${pad(birthday.getMonth() + 1)}` };
}
const monthName = (d: Date) => new Intl.DateTimeFormat('de-DE', { month: 'long', year: 'numeric' }).format(d);

const row = (page: Page, name: string) => page.getByTestId('case-row').filter({ has: page.getByRole('link', { name, exact: true }) });

async function createCase(page: Page, name: string, birthMonth: string): Promise<void> {
  await page.goto(server.url);
  await page.getByLabel('Name oder Kürzel der Person').fill(name);
  await page.getByLabel('Geburtsmonat (freiwillig)').fill(birthMonth);
  await page.getByRole('button', { name: 'Fall anlegen' }).click();
  await expect(page.getByTestId('case-title')).toHaveText(`Fall: ${name}`);
}

/** Back to the list inside the app, as a person does (the case page is left, not reloaded). */
async function backToList(page: Page): Promise<void> {
  await page.locator('a.brand').click();
  await expect(page.getByTestId('case-list')).toBeVisible();
}

test('the 25th birthday within three months warns and names the services that end at 25; a far one does not', async () => {
  const page = me.page;
  // Two calendar months ahead: inside the three-month window whatever today's date is.
  const near = monthAhead(2);
  const far = monthAhead(8);

  await createCase(page, 'Lena K.', near.birthMonth);
  await page.getByTestId('add-partner').click();
  await page.getByTestId('partner-organisation').last().fill('Jugendamt Mitte');
  await page.getByLabel('Hilfe endet mit dem 25. Geburtstag').check();
  await page.getByTestId('add-partner').click();
  await page.getByTestId('partner-organisation').last().fill('Schuldnerberatung Ost');
  await page.getByTestId('add-step').click();
  await page.getByTestId('step-what').last().fill('Bewerbung schreiben');
  await page.getByTestId('step-who').last().fill('Lena');
  await page.getByTestId('review-date').fill(addDays(-3));
  await backToList(page);

  const lena = row(page, 'Lena K.');
  await expect(lena.getByTestId('birthday-warning')).toHaveText(`🎂 Wird im ${monthName(near.birthday)} 25`);
  await expect(lena.getByTestId('birthday-ending')).toHaveText('Endet mit 25: Jugendamt Mitte');
  await expect(lena.getByTestId('case-review')).toContainText('Überfällig seit');
  await expect(lena.getByTestId('case-tasks')).toContainText('Bewerbung schreiben – Lena');

  await createCase(page, 'Paul F.', far.birthMonth);
  await backToList(page);
  const paul = row(page, 'Paul F.');
  await expect(paul.getByTestId('case-birthday')).toHaveText(monthName(far.birthday));
  await expect(paul.getByTestId('birthday-warning')).toHaveCount(0);
  await expect(paul.getByTestId('case-review')).toHaveText('nicht eingetragen');

  // The filter shows only the case with the warning.
  await page.getByLabel('25. Geburtstag bald oder schon vorbei').check();
  await expect(page.getByTestId('case-row')).toHaveCount(1);
  await expect(lena).toHaveCount(1);
  await page.getByLabel('25. Geburtstag bald oder schon vorbei').uncheck();
  await expect(page.getByTestId('case-row')).toHaveCount(2);
});

test("a case's line follows its edits and its conference: a new review date and task text show after going back, and after a reload", async () => {
  const page = me.page;
  const next = addDays(20);
  await row(page, 'Lena K.').getByRole('link', { name: 'Lena K.' }).click();
  await expect(page.getByTestId('case-title')).toHaveText('Fall: Lena K.');
  await page.getByTestId('review-date').fill(next);
  await page.getByTestId('step-what').last().fill('Bewerbung schreiben und abschicken');
  // Starting a conference counts as the last conference (no one else needs to be there yet).
  await startConference(page, 'Frau Aydin');
  await backToList(page);

  const shown = new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium' }).format(new Date(`${next}T12:00:00`));
  const lena = row(page, 'Lena K.');
  await expect(lena.getByTestId('case-review')).toHaveText(shown);
  await expect(lena.getByTestId('case-tasks')).toContainText('Bewerbung schreiben und abschicken – Lena');
  await expect(lena.getByTestId('case-conference')).toHaveText(new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium' }).format(new Date()));
  await expect(row(page, 'Paul F.').getByTestId('case-conference')).toHaveText('noch nie');
  // Stored, not only remembered by the page: the record in IndexedDB has it.
  await page.reload();
  await expect(row(page, 'Lena K.').getByTestId('case-review')).toHaveText(shown);
  await expect(row(page, 'Lena K.').getByTestId('case-review')).not.toContainText('Überfällig');
});

// --- 500 cases ------------------------------------------------------------------------------

const COUNT = 500;

/**
 * The document keys (`<caseId>/shared`) of the seeded cases a read's key range covers. An
 * unbounded read of `updates` covers them all; a numeric key (a row's seq) names no document.
 */
function caseDocRowsIn(read: { lower: unknown; upper: unknown }, records: Record<string, unknown>[]): string[] {
  const keys = records.map((r) => `${String(r['id'])}/shared`);
  if (typeof read.lower === 'number' || typeof read.upper === 'number') return [];
  const lower = typeof read.lower === 'string' ? read.lower : null;
  const upper = typeof read.upper === 'string' ? read.upper : null;
  return keys.filter((k) => (lower === null || k >= lower) && (upper === null || k <= upper));
}

interface Seeded {
  records: Record<string, unknown>[];
  overdue: number;
  birthdaySoon: number;
  withTasks: number;
  firstByName: string;
  earliestReview: string;
}

/** 500 plain case records (no device passphrase: rows are CaseRecord objects, vault.ts). */
function seedRecords(): Seeded {
  const now = Date.now();
  const first = 'Jonas Lea Mehmet Aylin Dennis Sofia Kevin Jana Ali Mia'.split(' ');
  const records: Record<string, unknown>[] = [];
  let overdue = 0;
  let birthdaySoon = 0;
  let withTasks = 0;
  for (let i = 0; i < COUNT; i++) {
    const soon = i % 10 === 3;
    const birthday = monthAhead(soon ? 1 : 12 + (i % 30)).birthday;
    const review = addDays((i % 7) - 3 + Math.floor(i / 7));
    if (review < day(new Date())) overdue++;
    if (soon) birthdaySoon++;
    const tasks = i % 4 === 0 ? [] : [{ source: 'step', what: `Schritt ${i}`, who: 'Frau Aydin', due: addDays(i % 30) }];
    if (tasks.length > 0) withTasks++;
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    records.push({
      id,
      displayName: `${first[i % first.length]} ${String(i).padStart(3, '0')}`,
      team: i % 2 === 0 ? 'U25' : 'Ü25',
      createdAt: now - i * 86_400_000,
      updatedAt: now - i * 3_600_000,
      scopes: {},
      roomEpoch: 0,
      invites: [],
      summary: {
        team: i % 2 === 0 ? 'U25' : 'Ü25',
        birthday25: `${birthday.getFullYear()}-${pad(birthday.getMonth() + 1)}`,
        nextReview: review,
        openTasks: tasks,
        openTaskCount: tasks.length,
        endsAt25: soon ? ['Jugendamt Nord'] : [],
      },
      ...(i % 5 === 0 ? { lastBackupAt: now - i * 60_000 } : {}),
    });
  }
  const names = records.map((r) => String(r['displayName'])).sort(new Intl.Collator('de-DE', { sensitivity: 'base', numeric: true }).compare);
  const reviews = records.map((r) => String((r['summary'] as { nextReview: string }).nextReview)).sort();
  return { records, overdue, birthdaySoon, withTasks, firstByName: names[0]!, earliestReview: reviews[0]! };
}

test('500 local cases: all listed from their records alone (no case document read), sorted and filtered', async ({ browser }) => {
  const { context, page } = await newParticipant(browser);
  try {
    // Every request the page makes to an object store or index: the store and the key range
    // it asks for. Listing must read no row of a case document (`updates` rows keyed
    // `<caseId>/…`); other rows of that table, such as the handed-over lines, may be read.
    // (Requests, not transactions: Dexie opens one over all stores to read the schema.)
    await context.addInitScript(() => {
      const seen: { store: string; lower: unknown; upper: unknown }[] = [];
      (window as unknown as { __reads: typeof seen }).__reads = seen;
      const methods = ['get', 'getAll', 'getAllKeys', 'getKey', 'count', 'openCursor', 'openKeyCursor'] as const;
      for (const [proto, storeOf] of [
        [IDBObjectStore.prototype, (s: IDBObjectStore) => s.name],
        [IDBIndex.prototype, (i: IDBIndex) => i.objectStore.name],
      ] as const) {
        for (const method of methods) {
          const original = (proto as unknown as Record<string, (...a: unknown[]) => unknown>)[method];
          if (typeof original !== 'function') continue;
          (proto as unknown as Record<string, unknown>)[method] = function (this: never, ...args: unknown[]) {
            // getAll and getAllKeys also take an options object ({ query, count, direction }).
            const first = args[0];
            const query = first !== null && typeof first === 'object' && !(first instanceof IDBKeyRange) && 'query' in first ? (first as { query: unknown }).query : first;
            const range = query instanceof IDBKeyRange ? { lower: query.lower, upper: query.upper } : query == null ? { lower: null, upper: null } : { lower: query, upper: query };
            seen.push({ store: (storeOf as (x: never) => string)(this), ...range });
            return original.apply(this, args);
          };
        }
      }
    });
    await page.goto(server.url);
    await expect(page.getByTestId('no-cases')).toBeVisible();
    const seeded = seedRecords();
    await page.evaluate(async (records) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('runder-tisch');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const tx = db.transaction('cases', 'readwrite');
      for (const record of records) tx.objectStore('cases').put(record);
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    }, seeded.records);

    await page.reload();
    await expect(page.getByTestId('case-row')).toHaveCount(COUNT);
    await expect(page.locator('a.case-link')).toHaveCount(COUNT);
    await expect(page.getByTestId('dashboard-count')).toHaveText(`${COUNT} von ${COUNT} Fällen`);
    const reads = await page.evaluate(() => (window as unknown as { __reads: { store: string; lower: unknown; upper: unknown }[] }).__reads);
    expect(reads.map((r) => r.store)).toContain('cases');
    expect(reads.filter((r) => r.store === 'updates').flatMap((r) => caseDocRowsIn(r, seeded.records))).toEqual([]);

    // Sorting.
    await page.getByLabel('Sortieren nach').selectOption({ label: 'Name (A–Z)' });
    await expect(page.locator('a.case-link').first()).toHaveText(seeded.firstByName);
    await page.getByLabel('Sortieren nach').selectOption({ label: 'Nächste Überprüfung (früheste zuerst)' });
    const earliest = new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium' }).format(new Date(`${seeded.earliestReview}T12:00:00`));
    await expect(page.getByTestId('case-review').first()).toContainText(earliest);
    await page.getByLabel('Sortieren nach').selectOption({ label: 'Letzte Sicherung (älteste zuerst)' });
    await expect(page.getByTestId('case-backup').first()).toHaveText('noch nie');
    await expect(page.getByTestId('case-backup').last()).not.toHaveText('noch nie');

    // Filtering, one at a time and combined.
    await page.getByLabel('überfälliger Überprüfung').check();
    await expect(page.getByTestId('case-row')).toHaveCount(seeded.overdue);
    await expect(page.getByTestId('case-review').filter({ hasNotText: 'Überfällig seit' })).toHaveCount(0);
    await page.getByLabel('überfälliger Überprüfung').uncheck();
    await page.getByLabel('25. Geburtstag bald oder schon vorbei').check();
    await expect(page.getByTestId('case-row')).toHaveCount(seeded.birthdaySoon);
    await expect(page.getByTestId('birthday-ending').first()).toHaveText('Endet mit 25: Jugendamt Nord');
    await page.getByLabel('25. Geburtstag bald oder schon vorbei').uncheck();
    await page.getByLabel('offenen Aufgaben').check();
    await expect(page.getByTestId('case-row')).toHaveCount(seeded.withTasks);
    await page.getByLabel('Name suchen').fill('jonas 01');
    // Only "Jonas 010" matches (Jonas is every tenth case); counted the same way here.
    const jonas = seeded.records.filter((r) => /^Jonas 01/.test(String(r['displayName'])) && (r['summary'] as { openTaskCount: number }).openTaskCount > 0);
    await expect(page.getByTestId('case-row')).toHaveCount(jonas.length);
    await page.getByLabel('offenen Aufgaben').uncheck();
    await page.getByLabel('Fälle', { exact: true }).selectOption({ label: 'Abgeschlossene' });
    await expect(page.getByTestId('case-row')).toHaveCount(0);
    await expect(page.getByTestId('dashboard-none')).toBeVisible();
    await page.getByLabel('Fälle', { exact: true }).selectOption({ label: 'Laufende' });
    await page.getByLabel('Name suchen').fill('');
    await expect(page.getByTestId('case-row')).toHaveCount(COUNT);

    // The watch does see document reads: opening one case reads `updates`.
    const opened = (await page.locator('a.case-link').first().getAttribute('href'))!.replace('#/case/', '');
    await page.locator('a.case-link').first().click();
    await expect(page.getByTestId('case-title')).toBeVisible();
    await expect
      .poll(async () => {
        const after = await page.evaluate(() => (window as unknown as { __reads: { store: string; lower: unknown; upper: unknown }[] }).__reads);
        return after.filter((r) => r.store === 'updates').flatMap((r) => caseDocRowsIn(r, seeded.records));
      })
      .toContain(`${opened}/shared`);
  } finally {
    await context.close();
  }
});
