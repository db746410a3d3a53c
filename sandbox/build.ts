// The sandbox page, compiled by Vite (sandbox/vite.config.ts) in memory when the sandbox starts: `npm
// start` needs no build step, and the page is always the current source. Only the offline sandbox runs
// this (Vite is a dev dependency; a deployment with a bot token never loads it).
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PageFile {
  body: Uint8Array;
  type: string;
}

const CONFIG = fileURLToPath(new URL('./vite.config.ts', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
};

let built: Promise<Map<string, PageFile>> | undefined;

/** The page's files by path under /sandbox/ ('index.html', 'assets/index-….js', …); built once a process. */
export function sandboxPage(): Promise<Map<string, PageFile>> {
  built ??= buildPage().catch((error: unknown) => {
    built = undefined;
    throw error;
  });
  return built;
}

async function buildPage(): Promise<Map<string, PageFile>> {
  const { build } = await import('vite');
  const result = await build({ configFile: CONFIG, logLevel: 'warn', build: { write: false } });
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => ('output' in r ? r.output : []));
  const encoder = new TextEncoder();
  const files = new Map<string, PageFile>();
  for (const output of outputs) {
    const content = output.type === 'chunk' ? output.code : output.source;
    files.set(output.fileName, {
      body: typeof content === 'string' ? encoder.encode(content) : content,
      type: TYPES[extname(output.fileName)] ?? 'application/octet-stream',
    });
  }
  if (!files.has('index.html')) throw new Error('The sandbox page did not build: no index.html');
  return files;
}
