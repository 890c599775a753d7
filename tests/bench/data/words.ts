import type { Rng } from '../lib/rng.ts';

/** Vocabulary of a Jobcenter case file, so text sizes and encodings resemble real ones. */
const WORDS = (
  'Klientin Klient Ausbildung Bewerbung Jobcenter Termin Gespräch Ziel Teilziel Hauptziel Maßnahme ' +
  'Schulden Schuldnerberatung Wohnung Miete Mietrückstand Kinderbetreuung Kita Abendschule Abschluss ' +
  'Hauptschulabschluss Realschulabschluss Praktikum Betrieb Arbeitgeber Vorstellungsgespräch Lebenslauf ' +
  'Anschreiben Zeugnis Führerschein Fahrtkosten Antrag Bescheid Widerspruch Frist Unterlagen Nachweis ' +
  'Gesundheit Attest Therapie Suchtberatung Familie Mutter Vater Geschwister Freund Freundin Umzug ' +
  'Sprachkurs Integrationskurs Deutschkenntnisse Kompetenzen Stärken Interessen Handwerk Pflege Lager ' +
  'Logistik Einzelhandel Gastronomie Büro Werkstatt Kfz Mechatroniker Elektroniker Helfer Vollzeit ' +
  'Teilzeit Minijob Arbeitsgelegenheit Coaching Begleitung Netzwerk Partner Jugendhilfe Bewährungshilfe ' +
  'vereinbart geplant erledigt offen begonnen verschoben regelmäßig wöchentlich monatlich pünktlich ' +
  'zuverlässig motiviert unsicher belastet stabil selbstständig gemeinsam schriftlich telefonisch ' +
  'bis zum ab dem nach vor mit ohne für über unter weil damit dass wenn danach zunächst außerdem ' +
  'und oder aber auch noch schon bereits wieder sowie sodass trotzdem deshalb jedoch ebenfalls ' +
  'die der das ein eine einen dem den des im am zur zum vom beim ins hat ist wird kann soll möchte ' +
  'berichtet erklärt plant meldet beantragt besucht erhält benötigt wünscht vereinbart klärt prüft'
).split(' ');

export function word(random: Rng): string {
  return random.pick(WORDS);
}

export function words(random: Rng, count: number): string {
  return Array.from({ length: count }, () => word(random)).join(' ');
}
