import { expect, test, type Page } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import { expectWebRtcPeers, invite, joinByLink, newParticipant, startApp, startConference, type Participant } from './app.ts';

/**
 * Layouts per device (#9): the case manager on a desktop, the client on a cheap phone, a
 * tablet passed around the table, upright and on its side. One conference (scenario A's demo
 * case, three people at the table and a fourth waiting in the lobby) is brought into each
 * state once; in each state every screen is checked at every viewport by resizing the pages.
 * A failure names the elements that reach past the right edge or are too small to tap.
 */

interface Device {
  name: string;
  width: number;
  height: number;
  /** Tapped with a finger: every button and field at least 44 px tall (WCAG 2.5.5). */
  touch: boolean;
}

const DEVICES: Device[] = [
  { name: 'phone', width: 360, height: 740, touch: true },
  { name: 'tablet portrait', width: 768, height: 1024, touch: true },
  { name: 'tablet landscape', width: 1024, height: 768, touch: true },
  { name: 'desktop', width: 1280, height: 800, touch: false },
];

const TOUCH_MIN = 44;

let server: RunningServer;
let host: Participant;
let client: Participant;
let partner: Participant;
let waiting: Participant;
let caseId = '';

test.describe.configure({ mode: 'serial', timeout: 180_000 });

test.beforeAll(async ({ browser }) => {
  server = await startApp();
  host = await newParticipant(browser);
  client = await newParticipant(browser);
  partner = await newParticipant(browser);
  waiting = await newParticipant(browser);
});

test.afterAll(async () => {
  for (const p of [host, client, partner, waiting]) await p?.context.close();
  await server?.close();
});

interface Layout {
  clientWidth: number;
  scrollWidth: number;
  pastRightEdge: string[];
  tooSmall: string[];
}

/**
 * What the page looks like at its current size: elements whose box ends right of the viewport,
 * whether the document scrolls sideways, and (for touch) visible controls in the main content
 * below 44 px. A checkbox or radio counts by its label, which is what a finger hits.
 */
function measure(page: Page, touchMin: number): Promise<Layout> {
  return page.evaluate((touchMin) => {
    const clientWidth = document.documentElement.clientWidth;
    const describe = (el: Element) => {
      const testid = el.getAttribute('data-testid');
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 30);
      return `${el.tagName.toLowerCase()}${testid ? `[data-testid=${testid}]` : ''}${cls} "${text}"`;
    };
    const shown = (el: Element) => {
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      return style.visibility !== 'hidden' && style.display !== 'none' && box.width > 0 && box.height > 0;
    };
    // Only the outermost offender of a subtree is listed: its children follow it out.
    const pastRightEdge: string[] = [];
    const walk = (el: Element) => {
      if (el.closest('.visually-hidden, .skip-link')) return;
      if (shown(el) && el.getBoundingClientRect().right > clientWidth + 1) {
        pastRightEdge.push(`${describe(el)} right=${Math.round(el.getBoundingClientRect().right)}`);
        return;
      }
      for (const child of el.children) walk(child);
    };
    walk(document.body);
    const tooSmall: string[] = [];
    if (touchMin > 0) {
      const main = document.querySelector('main') ?? document.body;
      for (const el of main.querySelectorAll('button, input, select, textarea, a.button')) {
        if (el.closest('.visually-hidden, .ProseMirror')) continue;
        const input = el as HTMLInputElement;
        const target = input.type === 'checkbox' || input.type === 'radio' ? (input.labels?.[0] ?? el) : el;
        if (!shown(el) && !(target !== el && shown(target))) continue;
        const height = target.getBoundingClientRect().height;
        if (height < touchMin - 0.5) tooSmall.push(`${describe(target)} h=${Math.round(height)}`);
      }
    }
    return { clientWidth, scrollWidth: document.documentElement.scrollWidth, pastRightEdge, tooSmall };
  }, touchMin);
}

/** Checks one screen at every device size; the page is left at desktop size. */
async function checkScreen(page: Page, screen: string, ready: () => Promise<void>): Promise<void> {
  for (const device of DEVICES) {
    await page.setViewportSize({ width: device.width, height: device.height });
    await ready();
    const layout = await measure(page, device.touch ? TOUCH_MIN : 0);
    const where = `${screen} on ${device.name} (${device.width}×${device.height})`;
    expect.soft(layout.pastRightEdge, `elements past the right edge, ${where}:\n${layout.pastRightEdge.join('\n')}`).toEqual([]);
    expect.soft(layout.scrollWidth, `horizontal scrolling, ${where}`).toBeLessThanOrEqual(layout.clientWidth);
    expect.soft(layout.tooSmall, `touch targets under ${TOUCH_MIN} px, ${where}:\n${layout.tooSmall.join('\n')}`).toEqual([]);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

/**
 * A control a person at the tablet must reach: scrolled to, it lies inside the viewport and
 * nothing covers it. Sections off screen are laid out only when they come near
 * (content-visibility), so the page can still grow above the control after the first scroll:
 * scroll until it stays.
 */
async function expectReachable(page: Page, testid: string): Promise<void> {
  const control = page.getByTestId(testid).first();
  await expect(control).toBeVisible();
  await expect
    .poll(
      () =>
        control.evaluate((el) => {
          el.scrollIntoView({ block: 'center' });
          const box = el.getBoundingClientRect();
          const inside = box.left >= 0 && box.top >= 0 && box.right <= document.documentElement.clientWidth && box.top < innerHeight;
          const hit = document.elementFromPoint(box.left + box.width / 2, box.top + Math.min(box.height / 2, 20));
          const onTop = hit !== null && (el === hit || el.contains(hit) || hit.contains(el));
          return inside && onTop ? 'reachable' : `inside=${inside} top=${hit ? hit.outerHTML.slice(0, 80) : 'nothing'}`;
        }),
      { message: `${testid} reachable at ${JSON.stringify(page.viewportSize())}` },
    )
    .toBe('reachable');
}

const caseTitle = (page: Page) => async () => {
  await expect(page.getByTestId('case-title')).toBeVisible();
};

test('start page: dashboard, new case, report and backup panels', async () => {
  const { page } = host;
  await page.goto(server.url);
  await page.getByTestId('load-demo').click();
  await expect(page.getByTestId('case-title')).toBeVisible();
  caseId = new URL(page.url()).hash.replace('#/case/', '');
  await page.goto(server.url);
  await expect(page.getByRole('link', { name: /Jonas B\./ }).first()).toBeVisible();
  await checkScreen(page, 'start page', async () => {
    await expect(page.getByTestId('report-panel')).toBeVisible();
  });
});

test('case page at the conference: three at the table, one in the lobby', async () => {
  const { page } = host;
  await page.goto(`${server.url}/#/case/${caseId}`);
  await expect(page.getByTestId('case-title')).toBeVisible();
  await checkScreen(page, 'case page', caseTitle(page));

  await startConference(page, 'Frau Aydin');
  await joinByLink(client.page, await invite(page, 'Jonas B.', 'Klient/in'), 'Jonas B.', 'Klient/in', page);
  // Jonas released the debt counsellor for money matters: the consent lets Herr Wolff in.
  const caritas = page.getByTestId('consent-partner').filter({ hasText: 'Caritas Schuldnerberatung' });
  await caritas.getByTestId('add-consent').click();
  await caritas.getByTestId('consent-topic-finanzen').last().check();
  await expect(caritas.getByTestId('consent-status').last()).toContainText(/gültig/);
  const wolff = await invite(page, 'Herr Wolff', 'Netzwerkpartner/in', 'Caritas Schuldnerberatung');
  await joinByLink(partner.page, wolff, 'Herr Wolff', 'Netzwerkpartner/in', page);
  await expectWebRtcPeers(page, 2);
  await joinByLink(waiting.page, await invite(page, 'Herr Petrov', 'Netzwerkpartner/in'), 'Herr Petrov', 'Netzwerkpartner/in');
  await expect(page.locator('[data-testid=knock][data-name="Herr Petrov"]')).toBeVisible();
  for (const p of [page, client.page, partner.page]) await expect(p.getByTestId('participant')).toHaveCount(3);

  await checkScreen(page, 'conference (case manager)', caseTitle(page));
  await checkScreen(client.page, 'conference (client)', caseTitle(client.page));
  await checkScreen(partner.page, 'conference (partner)', caseTitle(partner.page));
  await checkScreen(waiting.page, 'waiting room', async () => {
    await expect(waiting.page.getByTestId('my-fingerprint')).toBeVisible();
  });
});

test('the tablet passed around the table reaches the conference controls', async () => {
  for (const size of [
    { width: 768, height: 1024 },
    { width: 1024, height: 768 },
  ]) {
    for (const p of [host.page, client.page]) {
      await p.setViewportSize(size);
      await expectReachable(p, 'goal-title');
      await expectReachable(p, 'add-step');
      await expectReachable(p, 'presence');
    }
    await expectReachable(host.page, 'admit');
  }
  for (const p of [host.page, client.page]) await p.setViewportSize({ width: 1280, height: 800 });
});

test('closure and handover sections, opened', async () => {
  const { page } = host;
  await page.getByTestId('closure-start').click();
  await expect(page.getByTestId('closure-reason')).toBeVisible();
  await expect(page.getByTestId('handover')).toBeVisible();
  await checkScreen(page, 'closure and handover', async () => {
    await expect(page.getByTestId('closure-reason')).toBeVisible();
  });
});

test('versions: the diff before proposing, the proposal on every device', async () => {
  const { page } = host;
  await page.getByTestId('prepare-version').click();
  const preview = page.getByTestId('version-preview');
  await expect(preview.locator('[data-testid=diff-goal]').first()).toBeVisible();
  await checkScreen(page, 'version preview with diff', async () => {
    await expect(preview).toBeVisible();
  });
  await page.getByTestId('propose-version').click();
  for (const p of [page, client.page, partner.page]) await expect(p.getByTestId('version-pending')).toHaveAttribute('data-number', '1');
  await checkScreen(client.page, 'proposed version (client)', async () => {
    await expect(client.page.getByTestId('version-pending')).toBeVisible();
  });
});

test('client view „Meine Vereinbarung“', async () => {
  const mine = client.page;
  await mine.getByTestId('view-mine').click();
  await checkScreen(mine, 'Meine Vereinbarung', async () => {
    await expect(mine.getByTestId('my-agreement')).toBeVisible();
  });
});
