import { test, type Page } from '@playwright/test';
import type { RunningServer } from '../../src/server/app.ts';
import { createCase, expectWebRtcPeers, invite, joinByLink, newParticipant, recordConsent, startApp, startConference, type Participant } from './app.ts';
import { recordDataChannels } from './wire.ts';

/** The three seats most specs need: the case manager who hosts, the client and one partner. */
export interface Table {
  server: RunningServer;
  host: Participant;
  client: Participant;
  partner: Participant;
}

/**
 * Our server and three browser contexts for the whole spec file, closed after it. The partner's
 * data channels are recorded from the start: the confidentiality checks read what arrived.
 */
export function threeAtTheTable(): Table {
  const table = {} as Table;
  test.beforeAll(async ({ browser }) => {
    table.server = await startApp();
    table.host = await newParticipant(browser);
    table.client = await newParticipant(browser);
    table.partner = await newParticipant(browser);
    await recordDataChannels(table.partner.page);
  });
  test.afterAll(async () => {
    for (const p of [table.host, table.client, table.partner]) await p?.context.close();
    await table.server?.close();
  });
  return table;
}

export interface Seating {
  hostName: string;
  clientName: string;
  partner: { name: string; organisation: string; type: string; topics: string[] };
}

/**
 * The host starts the conference on an open case, lets the client in, records the partner's
 * consent with the client and lets the partner in: the order the app requires.
 */
export async function seat(host: Page, client: Page, partner: Page, who: Seating): Promise<void> {
  await startConference(host, who.hostName);
  await joinByLink(client, await invite(host, who.clientName, 'Klient/in'), who.clientName, 'Klient/in', host);
  const { name, organisation, type, topics } = who.partner;
  await recordConsent(host, organisation, type, topics);
  await joinByLink(partner, await invite(host, name, 'Netzwerkpartner/in', organisation), name, 'Netzwerkpartner/in', host);
  await expectWebRtcPeers(host, 2);
}

/** A new case, then `seat`. */
export async function newCaseAtTheTable(table: Table, caseName: string, who: Seating): Promise<void> {
  await createCase(table.host.page, table.server.url, caseName);
  await seat(table.host.page, table.client.page, table.partner.page, who);
}
