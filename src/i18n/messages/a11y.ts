/**
 * Messages for assistive technology: what the polite live region says about other people at
 * the table (src/ui/common/announce.ts).
 */
export const de = {
  'announce.joined': '{name} ist jetzt am Tisch.',
  'announce.left': '{name} hat den Tisch verlassen.',
  'announce.edit.one': '{name} hat eine Änderung gemacht.',
  'announce.edit.many': '{name} hat {count} Änderungen gemacht.',
};

export const en: Record<keyof typeof de, string> = {
  'announce.joined': '{name} is now at the table.',
  'announce.left': '{name} has left the table.',
  'announce.edit.one': '{name} made one change.',
  'announce.edit.many': '{name} made {count} changes.',
};
