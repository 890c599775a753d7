import * as Y from 'yjs';
import { CaseDocument } from '../case/caseDocument.ts';
import { richTextFragment } from '../case/layout.ts';
import type { Domain } from '../domain/assessment.ts';
import type { EntityId } from '../domain/ids.ts';
import { updateCase } from '../storage/caseIndex.ts';
import { sharedDocKey } from '../storage/caseRecord.ts';
import type { RunderTischDb } from '../storage/db.ts';
import { DocPersistence } from '../storage/docPersistence.ts';
import { createCase } from './createCase.ts';

/** A calendar day `days` after `from`, in local time (what a person means by "in two weeks"). */
export function isoDateIn(days: number, from: Date = new Date()): string {
  const d = new Date(from.getFullYear(), from.getMonth(), from.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Names of the demo's people, so tests and screenshots can refer to them. */
export const DEMO = {
  client: 'Jonas B.',
  caseManager: 'Frau Aydin',
  debtCounsellor: 'Herr Wolff',
  teacher: 'Frau Lindqvist',
  addictionCounsellor: 'Herr Petrov',
  gapDescription: 'betreutes Wohnen U25, Wartezeit 9 Monate',
  rejectedIndicator: 'Drogentest negativ',
  agreedIndicator: 'Termine bei der Suchtberatung wahrgenommen',
} as const;

/**
 * Creates scenario A of the domain guide (Jonas, 23, U25, at his Fallkonferenz) as a new local
 * case, so the product can be tried without typing a case first. All names are invented.
 * Everything is written through the CaseDocument API, one transaction per action a person
 * at the table would take, so the demo is valid data by construction and its history looks
 * like a real conference (e.g. the rejected indicator is in the history, then replaced).
 */
export async function loadDemoCase(db: RunderTischDb, today: Date = new Date()): Promise<string> {
  const caseId = await createCase(db, { displayName: DEMO.client, team: 'U25', birthMonth: birthMonthAt(today, 23) });
  const doc = new Y.Doc();
  const persistence = await DocPersistence.open(db, sharedDocKey(caseId), doc);
  const caseDoc = new CaseDocument(doc);
  try {
    writeScenario(caseDoc, today);
    await persistence.whenSaved();
  } finally {
    caseDoc.destroy();
    persistence.destroy();
    doc.destroy();
  }
  await updateCase(db, caseId, (record) => ({ ...record, updatedAt: Date.now() }));
  return caseId;
}

/** A birth month that makes the client `age` years old today (and not 25 soon). */
function birthMonthAt(today: Date, age: number): string {
  const month = today.getMonth() + 1;
  return `${today.getFullYear() - age}-${String(month).padStart(2, '0')}`;
}

function writeScenario(c: CaseDocument, today: Date): void {
  const inDays = (days: number) => isoDateIn(days, today);

  // --- who sits at the table -------------------------------------------------
  const caritas = c.add('partners', {
    texts: { organisation: 'Caritas Schuldnerberatung', contact: 'Herr Wolff' },
    fields: { type: 'schuldnerberatung', cooperation: 'koordiniert' },
  });
  const abendschule = c.add('partners', {
    texts: { organisation: 'Abendschule (Bildungsträger)', contact: 'Frau Lindqvist' },
    fields: { type: 'bildungstraeger', cooperation: 'individuell' },
  });
  const sucht = c.add('partners', {
    texts: { organisation: 'Suchtberatung', contact: 'Herr Petrov' },
    fields: { type: 'suchtberatung', cooperation: 'koordiniert' },
  });

  const aydin = c.add('participants', {
    fields: { name: DEMO.caseManager, role: 'fallmanager', organisation: 'Jobcenter, Team U25' },
  });
  const jonas = c.add('participants', { fields: { name: DEMO.client, role: 'klient', organisation: '' } });
  const wolff = c.add('participants', {
    fields: { name: DEMO.debtCounsellor, role: 'partner', organisation: 'Caritas Schuldnerberatung', partnerId: caritas },
  });
  const lindqvist = c.add('participants', {
    fields: { name: DEMO.teacher, role: 'partner', organisation: 'Abendschule', partnerId: abendschule },
  });
  const petrov = c.add('participants', {
    fields: { name: DEMO.addictionCounsellor, role: 'partner', organisation: 'Suchtberatung', partnerId: sucht },
  });

  // --- Ausgangslage and assessment ----------------------------------------------
  c.transact(() => {
    const fragment = richTextFragment(c.doc, 'ausgangslage');
    const paragraphs = [
      'Jonas ist 23 Jahre alt. Er hat die Schule ohne Hauptschulabschluss verlassen und hat etwa 7.400 Euro Schulden (Handyverträge, Strafen fürs Schwarzfahren).',
      'Nach einem Streit mit seiner Mutter wohnt er bei einem Freund. Er kifft jeden Tag.',
      'Jonas möchte Kfz-Mechatroniker werden. Er schraubt seit Jahren an Autos und Mopeds und will jetzt anfangen.',
    ];
    fragment.insert(
      0,
      paragraphs.map((text) => {
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [new Y.XmlText(text)]);
        return p;
      }),
    );
  });

  const need = (domain: Domain, clientView: string, professionalView: string, divergence = '') =>
    c.add('assessment', { texts: { clientView, professionalView, divergence }, fields: { domain, kind: 'bedarf' } });
  const resource = (domain: Domain, clientView: string, professionalView: string) =>
    c.add('assessment', { texts: { clientView, professionalView }, fields: { domain, kind: 'ressource' } });

  const needSchool = need(
    'qualifikation',
    'Ich habe keinen Abschluss. Ohne Abschluss nimmt mich keine Werkstatt.',
    'Kein Hauptschulabschluss. Der Abschluss ist Voraussetzung für die Ausbildung zum Kfz-Mechatroniker.',
  );
  const needDebt = need(
    'finanzen',
    'Ich mache die Briefe nicht mehr auf. Es sind bestimmt 7.000 Euro.',
    'Etwa 7.400 Euro Schulden: Handyverträge und Strafen fürs Schwarzfahren. Keine Übersicht über die Gläubiger.',
  );
  const needHousing = need(
    'wohnen',
    'Ich schlafe bei einem Kumpel auf dem Sofa. Das geht nicht ewig.',
    'Nach einem Streit mit der Mutter ohne eigene Wohnung, wohnt vorübergehend bei einem Freund.',
  );
  const needCannabis = need(
    'gesundheit',
    'Ich kiffe jeden Tag, aber ich habe das im Griff.',
    'Täglicher Cannabiskonsum; gefährdet Lernen, Termine und später die Ausbildung.',
    'Jonas sieht im Konsum kein Problem für die Ausbildung, Frau Aydin schon. Beide Sichten bleiben stehen.',
  );
  const needFamily = need(
    'familie',
    'Mit meiner Mutter will ich gerade nicht reden.',
    'Konflikt mit der Mutter nach dem Auszug.',
  );
  c.transact(() => {
    c.update('assessment', needFamily, { disposition: 'zurueckgestellt' });
    c.text('assessment', needFamily, 'dispositionReason').set(
      'Jonas möchte das Verhältnis zu seiner Mutter jetzt nicht zum Thema machen. Wir fragen beim nächsten Termin wieder.',
    );
  });
  resource(
    'qualifikation',
    'Ich will Kfz-Mechatroniker werden. Ich schraube seit Jahren an Autos und Mopeds.',
    'Klarer Berufswunsch mit praktischer Vorerfahrung.',
  );
  resource('intrapsychisch', 'Ich will jetzt wirklich etwas ändern.', 'Motiviert; kommt pünktlich und vorbereitet zu den Terminen.');
  resource('familie', 'Mein Kumpel hilft mir, bei ihm kann ich erst mal bleiben.', 'Ein Freund unterstützt ihn und bietet vorerst Unterkunft.');

  for (const domain of ['qualifikation', 'finanzen', 'wohnen', 'gesundheit', 'familie', 'intrapsychisch'] as const) {
    c.setDomainStatus(domain, 'betrachtet');
  }

  // --- Zielvereinbarung -------------------------------------------------------
  const goal = (
    level: 'haupt' | 'teil',
    texts: { title: string; clientWords: string; indicator: string },
    due: string | undefined,
    needs: EntityId[],
  ): EntityId => {
    let id = '';
    c.transact(() => {
      id = c.add('goals', { texts, fields: { level, status: 'offen', ...(due ? { due } : {}) } });
      for (const needId of needs) c.linkNeed(id, needId, true);
    });
    return id;
  };

  const mainGoal = goal(
    'haupt',
    {
      title: 'Ausbildung als Kfz-Mechatroniker',
      clientWords: 'Ich werde Kfz-Mechatroniker.',
      indicator: 'Ausbildungsvertrag ist unterschrieben.',
    },
    '2027-08-31',
    [],
  );
  c.updateGoal(mainGoal, { status: 'in_arbeit' });
  const goalSchool = goal(
    'teil',
    {
      title: 'Hauptschulabschluss an der Abendschule',
      clientWords: 'Ich mache meinen Hauptschulabschluss an der Abendschule.',
      indicator: 'Das Abschlusszeugnis liegt vor.',
    },
    '2027-07-31',
    [needSchool],
  );
  const goalDebt = goal(
    'teil',
    {
      title: 'Schuldenregulierung begonnen',
      clientWords: 'Ich weiß, wem ich wie viel schulde, und ich habe einen Plan.',
      indicator: 'Haushaltsplan und Gläubigerliste liegen vor.',
    },
    '2027-03-31',
    [needDebt],
  );
  const goalHousing = goal(
    'teil',
    {
      title: 'Eigene Wohnung',
      clientWords: 'Ich habe eine eigene Wohnung.',
      indicator: 'Der Antrag auf einen Wohnberechtigungsschein (WBS) ist gestellt.',
    },
    '2027-02-28',
    [needHousing],
  );
  // Proposed with the indicator Jonas then rejects; the dissent below records it.
  const goalCannabis = goal(
    'teil',
    {
      title: 'Konsum reduzieren',
      clientWords: 'nicht mehr jeden Tag kiffen',
      indicator: DEMO.rejectedIndicator,
    },
    inDays(182),
    [needCannabis],
  );

  // --- Dissent about the indicator, recorded and resolved, never erased --------------
  c.transact(() => {
    const dissent = c.add('dissents', {
      texts: {
        text: `Jonas trägt den Indikator „${DEMO.rejectedIndicator}“ nicht mit: Er will sich nicht testen lassen, aber zur Beratung gehen.`,
      },
      fields: { goalId: goalCannabis, participantId: jonas },
    });
    c.text('dissents', dissent, 'resolution').set(
      `Indikator gemeinsam geändert in „${DEMO.agreedIndicator}“. Alle sind einverstanden.`,
    );
    c.update('dissents', dissent, { resolvedAt: Date.now() });
    c.goalText(goalCannabis, 'indicator').set(DEMO.agreedIndicator);
  });

  // --- Hilfeplan ------------------------------------------------------------------
  const step = (
    texts: { what: string; who: string; criterion?: string; gapDescription?: string },
    fields: {
      responsible: 'fallmanager' | 'klient' | 'partner';
      goalId: EntityId;
      due?: string;
      partnerId?: EntityId;
      ownActivity?: boolean;
      gap?: boolean;
    },
  ): EntityId => c.add('steps', { texts, fields: { status: 'offen', start: inDays(0), ...fields } });

  step(
    {
      what: 'Alle Briefe von Gläubigern sammeln und zur Schuldnerberatung mitbringen',
      who: 'Jonas',
      criterion: 'Alle Briefe liegen bei Herrn Wolff.',
    },
    { responsible: 'klient', ownActivity: true, goalId: goalDebt, due: inDays(14) },
  );
  step(
    {
      what: 'Schuldenakte anlegen und die Gläubiger anschreiben',
      who: DEMO.debtCounsellor,
      criterion: 'Alle Gläubiger sind angeschrieben; die Gläubigerliste steht.',
    },
    { responsible: 'partner', partnerId: caritas, goalId: goalDebt, due: inDays(42) },
  );
  step(
    {
      what: 'Einen Platz an der Abendschule reservieren',
      who: DEMO.teacher,
      criterion: 'Jonas hat die Anmeldebestätigung.',
    },
    { responsible: 'partner', partnerId: abendschule, goalId: goalSchool, due: inDays(21) },
  );
  step(
    {
      what: 'Kosten für Lernmaterial beim Jobcenter beantragen',
      who: DEMO.caseManager,
      criterion: 'Der Antrag ist entschieden.',
    },
    { responsible: 'fallmanager', goalId: goalSchool, due: inDays(28) },
  );
  step(
    {
      what: 'Jonas zwei Termine für eine Beratung anbieten',
      who: DEMO.addictionCounsellor,
      criterion: 'Jonas hat zwei Termine zur Auswahl bekommen.',
    },
    { responsible: 'partner', partnerId: sucht, goalId: goalCannabis, due: inDays(14) },
  );
  step(
    {
      what: 'Platz im betreuten Wohnen U25 (Jugendwohnprojekt)',
      who: DEMO.caseManager,
      gapDescription: `Angebotslücke: ${DEMO.gapDescription}. Im örtlichen Jugendwohnprojekt ist kein Platz frei. Zweitbester Weg: eigene Wohnung über einen Wohnberechtigungsschein.`,
    },
    { responsible: 'fallmanager', gap: true, goalId: goalHousing },
  );

  // --- Review and information flow ----------------------------------------------------
  c.setPlan({ nextReview: inDays(56), reviewMode: 'fallkonferenz' });
  c.add('infoFlows', {
    texts: { what: 'Stand der Schuldenregulierung', when: 'monatlich, telefonisch' },
    fields: { partnerId: caritas },
  });

  // --- Acceptance: everyone says yes; Jonas takes Bedenkzeit on one sub-goal ------------
  c.transact(() => {
    const all = [mainGoal, goalSchool, goalDebt, goalHousing, goalCannabis];
    for (const g of all) c.setAcceptance(g, aydin, 'zugestimmt');
    for (const g of all.filter((g) => g !== goalHousing)) c.setAcceptance(g, jonas, 'zugestimmt');
    c.setAcceptance(
      goalHousing,
      jonas,
      'bedenkzeit',
      'Ich will mir erst überlegen, ob ich wirklich allein wohnen will. Ich sage nächste Woche Bescheid.',
    );
    c.setAcceptance(goalDebt, wolff, 'zugestimmt');
    c.setAcceptance(goalSchool, lindqvist, 'zugestimmt');
    c.setAcceptance(goalCannabis, petrov, 'zugestimmt');
  });
}
