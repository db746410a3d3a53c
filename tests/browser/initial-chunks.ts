// The JavaScript a phone must fetch before the Mini App's first screen: the entry script and everything it
// imports statically (dynamic import() is not followed). The size test and the benchmark both measure it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const DIST = 'miniapp/dist';

function staticImports(code: string): string[] {
  // Static `import … from "./x.js"` and bare `import "./x.js"`; dynamic import("./x.js") is not followed.
  return [...code.matchAll(/\bimport\s*(?:[\w*{}\s,$]+from\s*)?["'](\.\/[^"']+\.js)["']/g)].map(
    (m) => m[1] as string,
  );
}

export function initialChunks(): string[] {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const entries = [
    ...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\/(assets\/[^"]+\.js)"/g),
  ].map((m) => m[1] as string);
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(DIST, file), 'utf8');
    for (const dep of staticImports(code)) visit(join('assets', dep));
  };
  for (const e of entries) visit(e);
  return [...seen];
}

/** Each initial chunk with its gzipped size, and the total. */
export function initialJsGzip(): { total: number; chunks: { file: string; gzip: number }[] } {
  const chunks = initialChunks().map((file) => ({
    file,
    gzip: gzipSync(readFileSync(join(DIST, file))).length,
  }));
  return { total: chunks.reduce((n, c) => n + c.gzip, 0), chunks };
}
