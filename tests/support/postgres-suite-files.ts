// After each test file of the `postgres-suite` project: the pools of the worlds it made are ended, so the
// server's connections are not used up by files that finished.
import { afterAll } from 'vitest';
import { closeTestStores } from './test-store.ts';

afterAll(closeTestStores);
