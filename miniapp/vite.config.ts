// The Mini App: built into miniapp/dist, which the API serves at '/'.
import { fileURLToPath } from 'node:url';
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

export default defineConfig({
  root,
  base: '/',
  plugins: [react(), fluentSubset()],
  // The Fluent files live in ../locales, beside the bot's.
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 400,
  },
});
