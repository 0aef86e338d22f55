import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The resident web app: web/ is the root, the build goes to dist/web where the server finds it.
 * In development (`npm run dev:web`) API calls are proxied to the server on port 3000.
 */
export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2019',
    sourcemap: true,
    reportCompressedSize: false,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/waiting-room': 'http://127.0.0.1:3000' } },
});
