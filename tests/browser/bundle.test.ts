// The Mini App's size budget: the JavaScript a phone must fetch before the first screen (the entry script
// and everything it imports statically) stays under 100 kB gzipped; charts and admin load on demand.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DIST, initialChunks, initialJsGzip } from './initial-chunks.ts';

const BUDGET = 100_000;

describe('the Mini App bundle', () => {
  it('loads at most 100 kB of gzipped JavaScript before the first screen; charts and admin are lazy', () => {
    const { total, chunks: sizes } = initialJsGzip();
    const chunks = sizes.map((s) => s.file);
    expect(chunks.length).toBeGreaterThan(0);
    console.info(`initial JS: ${(total / 1000).toFixed(2)} kB gzipped`, sizes);
    expect(total).toBeLessThanOrEqual(BUDGET);
    expect(total).toBeGreaterThan(30_000); // React alone is more: the walk found the real entry
    for (const lazy of ['uPlot', 'Reports', 'Admin', 'Board'])
      expect(
        chunks.some((f) => f.includes(lazy)),
        lazy,
      ).toBe(false);
  });

  it('comes compressed by the build: every text file of 1 kB or more beside its .br and .gz', () => {
    const files = readdirSync(DIST, { recursive: true, encoding: 'utf8' }).filter((f) =>
      /\.(html|js|css|svg|json)$/.test(f),
    );
    let checked = 0;
    for (const file of files) {
      const raw = readFileSync(join(DIST, file));
      if (raw.byteLength < 1024) continue;
      checked++;
      expect(brotliDecompressSync(readFileSync(join(DIST, `${file}.br`))).equals(raw), file).toBe(true);
      expect(gunzipSync(readFileSync(join(DIST, `${file}.gz`))).equals(raw), file).toBe(true);
    }
    expect(checked).toBeGreaterThan(5);
    const initial = initialChunks().map((file) => ({
      file,
      br: readFileSync(join(DIST, `${file}.br`)).byteLength,
      gzip: readFileSync(join(DIST, `${file}.gz`)).byteLength,
    }));
    console.info('initial JS as sent, bytes', initial);
  });
});
