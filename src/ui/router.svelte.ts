import { parseRoute, type Route } from './route.ts';

export type { Route };

const state = $state<{ route: Route }>({ route: parseRoute(location.hash) });

// Back and forward, a typed address, and `location.hash = …` from anywhere.
const follow = () => (state.route = parseRoute(location.hash));
window.addEventListener('hashchange', follow);
window.addEventListener('popstate', follow);

/**
 * A click on an in-app link (`href="#/…"`) changes the route at once. Left to the browser, the
 * fragment navigation's hashchange comes one round trip through the browser process later,
 * about 10 ms on a busy two-core machine, before the next page even starts to load. A click
 * with a modifier (new tab or window), one a handler already took, or one on a link inside
 * editable text stays the browser's.
 */
document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target instanceof Element ? event.target.closest('a') : null;
  const href = link?.getAttribute('href');
  // A link inside editable text (the rich-text editor) is text to edit, as the browser treats it.
  if (!link || !href?.startsWith('#/') || link.target || link.hasAttribute('download') || link.isContentEditable) return;
  event.preventDefault();
  go(href);
});

function go(hash: string): void {
  if (hash === location.hash) return;
  history.pushState(null, '', hash);
  state.route = parseRoute(hash);
}

export function route(): Route {
  return state.route;
}

/** Replaces the current entry, so an invite key does not stay in the browser history. */
export function navigate(hash: string, { replace = false } = {}): void {
  if (replace) {
    history.replaceState(null, '', hash);
    state.route = parseRoute(hash);
  } else {
    go(hash);
  }
}
