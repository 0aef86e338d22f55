/**
 * Debian's Chromium, headless (never a downloaded browser) and never sending traffic beyond
 * 127.0.0.1. Shared by the browser tests and bench/web-slow-3g.ts.
 */
export const CHROMIUM = process.env.YOYAKU_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Belt and braces: any host name other than 127.0.0.1 fails to resolve.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];
