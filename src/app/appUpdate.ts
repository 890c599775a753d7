/**
 * Registers the service worker (`src/sw/serviceWorker.ts`) and tells the UI when a new version
 * of the app is ready. The new version takes over only when the person agrees, and never in
 * the middle of an edit: the reload waits until no field has the focus and the case page no
 * longer shows unsaved changes. A reload drops only what is in memory, and an edit not yet in
 * IndexedDB is exactly that.
 */

export type UpdateState =
  /** Nothing new (or no service worker in this browser). */
  | 'none'
  /** A new version is installed and waits for the person's agreement. */
  | 'available'
  /** Agreed; waits until the edit is saved and the field left. */
  | 'waiting-for-edit'
  /** Another tab switched to the new version: this one should reload when the person is done. */
  | 'activated-elsewhere'
  | 'reloading';

export interface AppUpdate {
  /** The person agreed: reload into the new version as soon as no edit is open. */
  reload(): void;
  stop(): void;
}

/** Browsers check for a new worker on each navigation; a tab left open all day checks this often. */
const CHECK_EVERY_MS = 60 * 60 * 1000;

/** A field that takes typing has the focus. */
export function editing(doc: Document = document): boolean {
  const active = doc.activeElement;
  if (!(active instanceof HTMLElement)) return false;
  if (active.isContentEditable) return true;
  if (active instanceof HTMLTextAreaElement) return !active.readOnly && !active.disabled;
  if (active instanceof HTMLInputElement) {
    const nonText = ['button', 'submit', 'reset', 'checkbox', 'radio', 'range', 'color', 'file', 'image', 'hidden'];
    return !nonText.includes(active.type) && !active.readOnly && !active.disabled;
  }
  return false;
}

/**
 * The case page shows its storage's save state (`SaveStatus.svelte`); anything but „Gespeichert“
 * (saving, or a failed write waiting for „Erneut speichern“) means the page holds an edit that
 * is not on the device yet. Reading the page rather than the session keeps this module free of
 * the case's internals.
 */
export function unsaved(doc: Document = document): boolean {
  return doc.querySelector('[data-testid="save-status"][data-state="saving"], [data-testid="save-status"][data-state="failed"]') !== null;
}

export function watchAppUpdates(onState: (state: UpdateState) => void): AppUpdate {
  const inert: AppUpdate = { reload: () => undefined, stop: () => undefined };
  // The dev server has no sw.js; browsers without service workers (or insecure origins) just run online.
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return inert;
  const container = navigator.serviceWorker;

  let state: UpdateState = 'none';
  let registration: ServiceWorkerRegistration | null = null;
  let agreed = false;
  let stopped = false;
  const cleanups: (() => void)[] = [];

  const set = (next: UpdateState) => {
    if (stopped || next === state) return;
    state = next;
    onState(next);
  };

  /** An installed worker that is not in control yet is a new version (the first install has no controller). */
  const offer = () => {
    if (registration?.waiting && container.controller && state === 'none') set('available');
  };

  const watchInstalling = (reg: ServiceWorkerRegistration) => {
    const installing = reg.installing;
    if (!installing) return;
    installing.addEventListener('statechange', () => {
      if (installing.state === 'installed') offer();
    });
  };

  // Without a controller at first, the first install's claim is no new version: nothing old ran.
  let hadController = container.controller !== null;
  const onControllerChange = () => {
    if (agreed) {
      set('reloading');
      location.reload();
      return;
    }
    // Another tab agreed: this one runs the old code until the person reloads it (a reload
    // this tab already waits for stays as it is).
    if (hadController && state !== 'waiting-for-edit') set('activated-elsewhere');
    hadController = container.controller !== null;
  };
  container.addEventListener('controllerchange', onControllerChange);
  cleanups.push(() => container.removeEventListener('controllerchange', onControllerChange));

  const register = () => {
    container
      .register(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL })
      .then((reg) => {
        if (stopped) return;
        registration = reg;
        offer();
        watchInstalling(reg);
        reg.addEventListener('updatefound', () => watchInstalling(reg));
        const timer = setInterval(() => void reg.update().catch(() => undefined), CHECK_EVERY_MS);
        cleanups.push(() => clearInterval(timer));
      })
      .catch(() => {
        // Without a worker the app still works online; offline starts are what is lost.
      });
  };
  // After the page has loaded: precaching must not compete with the first start for the network.
  if (document.readyState === 'complete') register();
  else {
    window.addEventListener('load', register, { once: true });
    cleanups.push(() => window.removeEventListener('load', register));
  }

  return {
    reload() {
      if (state !== 'available' && state !== 'activated-elsewhere') return;
      /** Reloads, or lets the new worker take over (its controllerchange reloads), once no edit is open. */
      const go = () => {
        if (editing() || unsaved()) return false;
        const waiting = registration?.waiting;
        if (waiting) {
          agreed = true;
          waiting.postMessage({ type: 'SKIP_WAITING' });
        } else {
          set('reloading');
          location.reload();
        }
        return true;
      };
      if (go()) return;
      set('waiting-for-edit');
      // Checked again whenever focus moves or the save state on the page changes.
      let retry: ReturnType<typeof setTimeout> | undefined;
      const check = () => {
        clearTimeout(retry);
        // During focusout the focus has not reached its next element yet.
        retry = setTimeout(() => {
          if (!stopped && go()) stopWatching();
        });
      };
      const observer = new MutationObserver(check);
      observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
      document.addEventListener('focusout', check);
      document.addEventListener('focusin', check);
      const stopWatching = () => {
        clearTimeout(retry);
        observer.disconnect();
        document.removeEventListener('focusout', check);
        document.removeEventListener('focusin', check);
      };
      cleanups.push(stopWatching);
    },
    stop() {
      stopped = true;
      for (const cleanup of cleanups.splice(0)) cleanup();
    },
  };
}
