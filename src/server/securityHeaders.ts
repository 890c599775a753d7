/**
 * Headers sent with every HTTP response. The CSP only allows talking to our own origin and
 * the configured signaling servers, so injected script could not exfiltrate room keys elsewhere.
 */
export function buildSecurityHeaders(signalingUrls: readonly string[]): Record<string, string> {
  const signalingOrigins = [...new Set(signalingUrls.map((url) => new URL(url).origin))];
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    ["connect-src 'self'", ...signalingOrigins].join(' '),
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');

  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    // Camera and microphone stay allowed: e2e tests grant them so WebRTC exposes host candidates.
    'Permissions-Policy': 'geolocation=(), payment=()',
  };
}
