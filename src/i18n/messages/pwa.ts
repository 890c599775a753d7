/**
 * Messages of the installed app: a new version announces itself and waits for the person.
 * Polite and short; the reassurance that nothing typed is lost matters most to someone who
 * is in the middle of writing a plan with a client.
 */
export const de = {
  'update.available': 'Eine neue Version von Runder Tisch ist da.',
  'update.reload': 'Jetzt neu laden',
  'update.later': 'Später',
  'update.safe': 'Ihre Eingaben gehen nicht verloren: Neu geladen wird erst, wenn alles gespeichert ist und Sie kein Feld mehr bearbeiten.',
  'update.waiting': 'Neu geladen wird, sobald Ihre Eingabe gespeichert ist und Sie das Feld verlassen haben.',
  'update.elsewhere': 'Runder Tisch wurde in einem anderen Fenster auf die neue Version umgestellt. Laden Sie diese Seite neu, wenn Sie hier fertig sind.',
  'update.reloading': 'Die neue Version wird geladen …',
  'update.memory': 'Achtung: In diesem privaten Fenster liegen die Fälle nur im Arbeitsspeicher. Beim Neuladen gehen sie verloren.',
};

export const en: Record<keyof typeof de, string> = {
  'update.available': 'A new version of Round Table is available.',
  'update.reload': 'Reload now',
  'update.later': 'Later',
  'update.safe': 'Nothing you typed is lost: the page reloads only once everything is saved and you are no longer editing a field.',
  'update.waiting': 'The page reloads as soon as your input is saved and you have left the field.',
  'update.elsewhere': 'Round Table was switched to the new version in another window. Reload this page when you are done here.',
  'update.reloading': 'Loading the new version …',
  'update.memory': 'Caution: in this private window the cases exist only in memory. Reloading loses them.',
};
