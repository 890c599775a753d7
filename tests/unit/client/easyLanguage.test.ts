import { describe, expect, it } from 'vitest';
import { de, en, type MessageKey } from '../../../src/i18n/catalogue.ts';
import { ct, easyKeyOf, easyLanguage, setEasyLanguage } from '../../../src/ui/client/easyLanguage.svelte.ts';

// The client view's keys; the demo button's keys belong to the case list, not to this view.
const clientKeys = (Object.keys(de) as MessageKey[]).filter(
  (k) => k.startsWith('client.') && !k.startsWith('client.easy.') && !k.startsWith('client.demo.'),
);
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join();

describe('Leichte Sprache for the client view', () => {
  it('has an easy variant for every client-view text, with the same placeholders, in both languages', () => {
    expect(clientKeys.length).toBeGreaterThan(40);
    expect(clientKeys.filter((k) => easyKeyOf(k) === null)).toEqual([]);
    const mismatched = clientKeys.filter((k) => {
      const easy = easyKeyOf(k)!;
      return placeholders(de[k]) !== placeholders(de[easy]) || placeholders(en[k]) !== placeholders(en[easy]);
    });
    expect(mismatched).toEqual([]);
  });

  it('has no easy variant without its plain text (a typo in a key would never show)', () => {
    const orphans = (Object.keys(de) as string[])
      .filter((k) => k.startsWith('client.easy.') && !k.startsWith('client.easy.switch'))
      .filter((k) => !(`client.${k.slice('client.easy.'.length)}` in de));
    expect(orphans).toEqual([]);
  });

  it('keeps Leichte Sprache sentences short (at most 15 words each)', () => {
    const long = clientKeys
      .map((k) => de[easyKeyOf(k)!] as string)
      .flatMap((text) => text.split(/(?<=[.!?])\s+/))
      .filter((sentence) => sentence.split(/\s+/).length > 15);
    expect(long).toEqual([]);
  });

  it('switches the texts and remembers the choice', () => {
    setEasyLanguage(false);
    expect(ct('client.steps')).toBe('Meine nächsten Schritte');
    setEasyLanguage(true);
    expect(easyLanguage()).toBe(true);
    expect(ct('client.steps')).toBe('Das mache ich als Nächstes');
    expect(ct('client.due', { date: '1. März' })).toBe('Fertig bis: 1. März');
    // Keys outside the client view are unaffected.
    expect(ct('client.demo.load')).toBe(de['client.demo.load']);
    setEasyLanguage(false);
    expect(ct('client.steps')).toBe('Meine nächsten Schritte');
  });
});
