import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './vite.config.js';

/**
 * The staff web app: a second entry with a build of its own (web/admin → dist/web/admin, served at
 * /admin). Built apart from the residents' app so that nothing of it (its pages, its client, its
 * translations) can end up in a chunk the residents load: their build is the same with or
 * without it. `npm run dev:admin` serves it on its own with the API proxied to port 3000.
 */
export default defineConfig({
  root: 'web/admin',
  base: '/admin/',
  plugins: [react(), precompress()],
  build: {
    outDir: '../../dist/web/admin',
    emptyOutDir: true,
    target: 'es2019',
    sourcemap: true,
    reportCompressedSize: false,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
