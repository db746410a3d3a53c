// The Mini App: built into miniapp/dist, which the API serves at '/'.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, gzip, constants as zlib } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The message families the app shows; the bot's own texts (notices, menus, CSV headers) stay out. */
const KEEP =
  /^(app|status|priority|impact|urgency|line|role|duration|error|event|intake|report|staff-card|staff-prompt|staff-queue|setup-item|setup-fact)-|^(none|setup-progress)$/;

/**
 * The Fluent files are shared with the bot; the app fetches its language's file at start, so only the
 * messages it uses go into that chunk (each with its indented continuation lines; comments dropped).
 */
function fluentSubset(): Plugin {
  return {
    name: 'tgdesk-fluent-subset',
    transform(code, id) {
      if (!/\.ftl\?raw$/.test(id)) return null;
      const match = /^export default (".*");?\s*$/s.exec(code);
      if (!match?.[1]) return null;
      const source = JSON.parse(match[1]) as string;
      const kept: string[] = [];
      let keep = false;
      for (const line of source.split('\n')) {
        const key = /^(-?[a-zA-Z][\w-]*)\s*=/.exec(line)?.[1];
        if (key !== undefined) keep = key.startsWith('-') || KEEP.test(key);
        else if (!/^\s/.test(line)) keep = false;
        if (keep) kept.push(line);
      }
      return { code: `export default ${JSON.stringify(`${kept.join('\n')}\n`)};`, map: null };
    },
  };
}

/** What the API compresses (api/app.ts): text files of 1 KB or more. */
const COMPRESSIBLE = /\.(html|js|mjs|css|json|map|svg|txt|webmanifest)$/;
const COMPRESS_FROM = 1024;

/**
 * Each built text file also as `<file>.br` (brotli, best quality) and `<file>.gz` (gzip -9), made once here so
 * the server sends them as they are instead of compressing on the first request after a deploy.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'tgdesk-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const brotli = promisify(brotliCompress);
      const gzipped = promisify(gzip);
      const files = (await readdir(outDir, { recursive: true, withFileTypes: true }))
        .filter((e) => e.isFile() && COMPRESSIBLE.test(extname(e.name)))
        .map((e) => join(e.parentPath, e.name));
      // In parallel: zlib works on libuv's threads.
      await Promise.all(
        files.map(async (file) => {
          const raw = await readFile(file);
          if (raw.byteLength < COMPRESS_FROM) return;
          const params = { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.byteLength };
          const [br, gz] = await Promise.all([brotli(raw, { params }), gzipped(raw, { level: 9 })]);
          await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gz)]);
        }),
      );
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  plugins: [react(), fluentSubset(), precompress()],
  // The Fluent files live in ../locales, beside the bot's.
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 400,
  },
});
