import fs from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes a .br and a .gz beside each built script and stylesheet; the server sends them to
 * browsers that accept them (a third of the bytes on a slow phone line, at no cost per request).
 */
export function precompress(): Plugin {
  return {
    name: 'yoyaku-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      for (const name of Object.keys(bundle)) {
        if (!/\.(js|css)$/.test(name)) continue;
        const file = path.join(options.dir!, name);
        const data = fs.readFileSync(file);
        fs.writeFileSync(`${file}.br`, brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
        fs.writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
      }
    },
  };
}

/**
 * Asks for the Japanese texts at once, beside the entry script: the app waits for its language
 * file before the first paint, and most visitors read Japanese, so on a slow line they skip one
 * round trip (other languages still load only their own file, after the entry).
 */
function preloadJapanese(): Plugin {
  return {
    name: 'yoyaku-preload-japanese',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        const chunks = Object.values(context.bundle ?? {}).filter(
          (chunk) => chunk.type === 'chunk' && /\/(web\/src\/i18n|shared\/i18n\/problems)\/ja\.json$/.test(chunk.facadeModuleId ?? ''),
        );
        return chunks.map((chunk) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `/${chunk.fileName}` },
          injectTo: 'head' as const,
        }));
      },
    },
  };
}

/**
 * The resident web app: web/ is the root, the build goes to dist/web where the server finds it.
 * In development (`npm run dev:web`) API calls are proxied to the server on port 3000.
 */
export default defineConfig({
  root: 'web',
  plugins: [react(), precompress(), preloadJapanese()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2019',
    sourcemap: true,
    reportCompressedSize: false,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/waiting-room': 'http://127.0.0.1:3000' } },
});
