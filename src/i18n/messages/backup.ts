/**
 * Messages of the backup ("Sicherung") of the local copy and of the client's copy of their
 * data (GDPR Art. 15). A failed import must say plainly that nothing was changed.
 */
export const de = {
  'backup.heading': 'Sicherung',
  'backup.about':
    'Die Fälle liegen nur auf diesen Geräten. Eine Sicherungsdatei bewahrt sie auf, wenn der Browser gelöscht wird oder das Gerät verloren geht. Sie ist mit einem Passwort verschlüsselt, das Sie hier wählen.',
  'backup.last': 'Letzte Sicherung: {date}',
  'backup.never': 'Auf diesem Gerät wurde noch keine Sicherung gemacht.',
  'backup.reminder': 'Erinnerung: Die letzte Sicherung ist älter als {days} Tage. Bitte sichern Sie Ihre Fälle.',
  'backup.reminderNever': 'Erinnerung: Sichern Sie Ihre Fälle, damit sie nicht verloren gehen.',
  'backup.export.heading': 'Sicherung erstellen',
  'backup.export.which': 'Welche Fälle?',
  'backup.export.all': 'Alle Fälle',
  'backup.export.passphrase': 'Passwort für die Sicherungsdatei',
  'backup.export.repeat': 'Passwort wiederholen',
  'backup.export.rules':
    'Mindestens {min} Zeichen. Ohne dieses Passwort lässt sich die Datei nicht öffnen; niemand kann es wiederherstellen.',
  'backup.export.submit': 'Sicherungsdatei herunterladen',
  'backup.export.working': 'Die Sicherung wird verschlüsselt …',
  'backup.export.done': 'Sicherung mit {count} Fällen erstellt.',
  'backup.export.tooShort': 'Das Passwort muss mindestens {min} Zeichen lang sein.',
  'backup.export.mismatch': 'Die beiden Passwörter stimmen nicht überein.',
  'backup.export.empty': 'Es gibt keinen Fall, der gesichert werden kann.',
  'backup.import.heading': 'Sicherung einspielen',
  'backup.import.hint':
    'Fälle aus der Datei werden mit den Fällen auf diesem Gerät zusammengeführt. Nichts wird überschrieben: Was auf diesem Gerät neuer ist, bleibt erhalten.',
  'backup.import.file': 'Sicherungsdatei',
  'backup.import.passphrase': 'Passwort der Sicherungsdatei',
  'backup.import.submit': 'Einspielen',
  'backup.import.noFile': 'Bitte wählen Sie eine Sicherungsdatei aus.',
  'backup.import.working': 'Die Sicherung wird geprüft und eingespielt …',
  'backup.import.done': '{merged} Fälle zusammengeführt, {created} neu.',
  'backup.error.malformed':
    'Das ist keine lesbare Sicherungsdatei von Runder Tisch (falsche oder unvollständige Datei). Es wurde nichts geändert.',
  'backup.error.passphrase':
    'Das Passwort stimmt nicht – oder die Datei wurde verändert. Es wurde nichts geändert.',
  'backup.error.tampered':
    'Die Datei ist beschädigt oder wurde verändert. Sie wird nicht eingespielt. Es wurde nichts geändert.',
  'backup.error.content':
    'Der Inhalt der Sicherung ist ungültig und wird nicht eingespielt. Es wurde nichts geändert.',
  'backup.error.locked': 'Das Gerät ist gesperrt. Entsperren Sie es und versuchen Sie es noch einmal. Es wurde nichts geändert.',
  'backup.error.empty': 'Es gibt keinen Fall, der gesichert werden kann.',
  'backup.error.other': 'Das hat nicht geklappt. Es wurde nichts geändert. ({message})',
  'backup.settings.heading': 'Erinnerung an die Sicherung',
  'backup.settings.days': 'Erinnern, wenn die letzte Sicherung so viele Tage alt ist',
  'backup.settings.hint': 'Zwischen {min} und {max} Tagen. Voreingestellt sind {default} Tage.',
  'backup.settings.save': 'Übernehmen',
  'backup.settings.saved': 'Gespeichert: Erinnerung nach {days} Tagen.',
  'backup.settings.invalid': 'Bitte eine ganze Zahl zwischen {min} und {max} eingeben.',

  'access.heading': 'Meine Daten',
  'access.about':
    'Sie haben das Recht zu erfahren, was über Sie gespeichert ist (Art. 15 DSGVO). Hier laden Sie alles herunter, was dieses Gerät zu diesem Fall gespeichert hat, als lesbare Datei.',
  'access.download': 'Meine Daten herunterladen',
  'access.done': 'Die Datei wurde erstellt.',
};

export const en: Record<keyof typeof de, string> = {
  'backup.heading': 'Backup',
  'backup.about':
    'The cases live only on these devices. A backup file keeps them if the browser is cleared or the device is lost. It is encrypted with a passphrase you choose here.',
  'backup.last': 'Last backup: {date}',
  'backup.never': 'No backup has been made on this device yet.',
  'backup.reminder': 'Reminder: the last backup is older than {days} days. Please back up your cases.',
  'backup.reminderNever': 'Reminder: back up your cases so they are not lost.',
  'backup.export.heading': 'Make a backup',
  'backup.export.which': 'Which cases?',
  'backup.export.all': 'All cases',
  'backup.export.passphrase': 'Passphrase for the backup file',
  'backup.export.repeat': 'Repeat the passphrase',
  'backup.export.rules': 'At least {min} characters. Without it the file cannot be opened; nobody can recover it.',
  'backup.export.submit': 'Download backup file',
  'backup.export.working': 'Encrypting the backup …',
  'backup.export.done': 'Backup of {count} cases made.',
  'backup.export.tooShort': 'The passphrase must be at least {min} characters long.',
  'backup.export.mismatch': 'The two passphrases do not match.',
  'backup.export.empty': 'There is no case that can be backed up.',
  'backup.import.heading': 'Restore a backup',
  'backup.import.hint':
    'Cases from the file are merged with the cases on this device. Nothing is overwritten: what is newer on this device stays.',
  'backup.import.file': 'Backup file',
  'backup.import.passphrase': 'Passphrase of the backup file',
  'backup.import.submit': 'Restore',
  'backup.import.noFile': 'Please choose a backup file.',
  'backup.import.working': 'Checking and restoring the backup …',
  'backup.import.done': '{merged} cases merged, {created} new.',
  'backup.error.malformed': 'This is not a readable Round Table backup file (wrong or incomplete file). Nothing was changed.',
  'backup.error.passphrase': 'The passphrase is wrong – or the file was altered. Nothing was changed.',
  'backup.error.tampered': 'The file is damaged or was altered. It is not restored. Nothing was changed.',
  'backup.error.content': 'The content of the backup is invalid and is not restored. Nothing was changed.',
  'backup.error.locked': 'The device is locked. Unlock it and try again. Nothing was changed.',
  'backup.error.empty': 'There is no case that can be backed up.',
  'backup.error.other': 'That did not work. Nothing was changed. ({message})',
  'backup.settings.heading': 'Backup reminder',
  'backup.settings.days': 'Remind me when the last backup is this many days old',
  'backup.settings.hint': 'Between {min} and {max} days. The default is {default} days.',
  'backup.settings.save': 'Apply',
  'backup.settings.saved': 'Saved: reminder after {days} days.',
  'backup.settings.invalid': 'Please enter a whole number between {min} and {max}.',

  'access.heading': 'My data',
  'access.about':
    'You have the right to know what is stored about you (Art. 15 GDPR). Download everything this device has stored for this case, as a readable file.',
  'access.download': 'Download my data',
  'access.done': 'The file was created.',
};
