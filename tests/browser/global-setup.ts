// Builds the Mini App once for every browser test (the API serves miniapp/dist), and makes the folders the
// tests save screenshots and downloads into.
import { mkdirSync } from 'node:fs';
import { build } from 'vite';
import { SCREENSHOTS } from './paths.ts';

export default async function setup(): Promise<void> {
  mkdirSync('test-artifacts', { recursive: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Vitest runs with NODE_ENV=test, which would make Vite bundle React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: 'miniapp/vite.config.ts', mode: 'production', logLevel: 'warn' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}
