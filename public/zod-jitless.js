// Zod tries `new Function` once, when its first schema is made, to see whether it may compile
// its parsers. Our CSP forbids eval (src/server/securityHeaders.ts), so every page load reported
// a violation and zod took its plain path anyway. Set before any module runs (a deferred classic
// script runs before the app's module scripts), zod takes that path without trying.
globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, { jitless: true });
