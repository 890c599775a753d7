import { de, type MessageKey } from '../../i18n/catalogue.ts';
import { t } from '../../i18n/index.svelte.ts';

/**
 * The „Leichte Sprache“ switch of the client's view. Remembered on this device (the client's
 * own phone, usually), not in the case: it is how this person reads, not part of the plan.
 */
const STORAGE_KEY = 'runder-tisch.leichteSprache';

function stored(): boolean {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) === '1';
  } catch {
    return false; // storage blocked: the switch still works for this visit
  }
}

const state = $state({ on: stored() });

export function easyLanguage(): boolean {
  return state.on;
}

export function setEasyLanguage(on: boolean): void {
  state.on = on;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, on ? '1' : '0');
  } catch {
    // not remembered, still switched
  }
}

/** The Leichte-Sprache key of a client-view key (`client.x` → `client.easy.x`), if it has one. */
export function easyKeyOf(key: MessageKey): MessageKey | null {
  if (!key.startsWith('client.') || key.startsWith('client.easy.')) return null;
  const easy = `client.easy.${key.slice('client.'.length)}`;
  return easy in de ? (easy as MessageKey) : null;
}

/** `t` for the client view: the Leichte-Sprache text while the switch is on. */
export function ct(key: MessageKey, params: Record<string, string | number> = {}): string {
  const easy = state.on ? easyKeyOf(key) : null;
  return t(easy ?? key, params);
}
