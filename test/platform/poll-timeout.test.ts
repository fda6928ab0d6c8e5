// The browser tests wait for pages with expect.poll. Vitest's own default (1 s) is shorter
// than a page can take to load while CI runs the whole suite on two cores, and an
// encounters test failed in CI on that alone; vitest.config.ts sets a longer one.
import { expect, test } from 'vitest';

test('expect.poll waits longer than vitest’s default second for a slow condition', async () => {
  const ready = Date.now() + 1_500;
  await expect.poll(() => Date.now() >= ready, { interval: 100 }).toBe(true);
});
