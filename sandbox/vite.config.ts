// The sandbox page: plain TypeScript, HTML and CSS, served at /sandbox/. The sandbox builds it in memory
// when it starts (sandbox/build.ts), so `npm start` needs no build step; `npx vite build --config
// sandbox/vite.config.ts` writes the same files to sandbox/dist to look at.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./client', import.meta.url)),
  base: '/sandbox/',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
});
