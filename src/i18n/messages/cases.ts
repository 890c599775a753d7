/** Messages of one feature; German is the product language, English the second. */
export const de = {
  'cases.heading': 'Ihre Fälle auf diesem Gerät',
  'cases.empty': 'Auf diesem Gerät gibt es noch keinen Fall.',
  'cases.open': 'Öffnen',
  'cases.updated': 'Zuletzt geändert: {date}',
  'cases.team': 'Team {team}',
  'cases.inConference': 'mit Konferenz',
  'cases.new': 'Neuen Fall anlegen',
  'cases.new.name': 'Name oder Kürzel der Person',
  'cases.new.nameHint': 'Ein Kürzel genügt, zum Beispiel „Jonas B.“.',
  'cases.new.team': 'Team',
  'cases.new.birth': 'Geburtsmonat (freiwillig)',
  'cases.new.birthHint': 'Nur Monat und Jahr. Damit erinnert die App rechtzeitig vor dem 25. Geburtstag.',
  'cases.new.submit': 'Fall anlegen',
  'cases.new.nameRequired': 'Bitte geben Sie einen Namen oder ein Kürzel ein.',
} as const;

export const en: Record<keyof typeof de, string> = {
  'cases.heading': 'Your cases on this device',
  'cases.empty': 'There is no case on this device yet.',
  'cases.open': 'Open',
  'cases.updated': 'Last changed: {date}',
  'cases.team': 'Team {team}',
  'cases.inConference': 'with conference',
  'cases.new': 'Create a new case',
  'cases.new.name': 'Name or initials of the person',
  'cases.new.nameHint': 'Initials are enough, for example “Jonas B.”.',
  'cases.new.team': 'Team',
  'cases.new.birth': 'Month of birth (optional)',
  'cases.new.birthHint': 'Month and year only. The app then reminds you before the 25th birthday.',
  'cases.new.submit': 'Create case',
  'cases.new.nameRequired': 'Please enter a name or initials.',
};
