import { tick } from 'svelte';

/**
 * Moves keyboard focus to the first of `ids` that exists once the DOM has caught up with a
 * change (a new card appeared, a card moved or disappeared), so keyboard users stay in place.
 */
export async function focusLater(...ids: string[]): Promise<void> {
  await tick();
  for (const id of ids) {
    const el = document.getElementById(id);
    if (el && !(el as HTMLButtonElement).disabled) {
      el.focus();
      return;
    }
  }
}
