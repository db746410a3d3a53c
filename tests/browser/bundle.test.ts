// The Mini App's size budget: the JavaScript a phone must fetch before the first screen (the entry script
// and everything it imports statically) stays under 100 kB gzipped; charts and admin load on demand.
import { describe, expect, it } from 'vitest';
import { initialJsGzip } from './initial-chunks.ts';

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
});
