// The accessibility check every browser test uses (expectNoAxeViolations) judges the page as
// it settles, not a frame of a fade, and still fails on a real violation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, canRun, expectNoAxeViolations } from './helpers.ts';

/** Grey text on white (#595959 is 7:1) inside a box that fades in over `fadeMs`, as a notification does. */
const page = (fadeMs: number, color = '#595959') => `<!doctype html><html lang="en"><head><title>Fade</title>
<style>
  body { background: #777; }
  .note { background: #fff; color: ${color}; padding: 1rem; opacity: 0; transition: opacity ${fadeMs}ms linear; }
  .note.shown { opacity: 1; }
</style></head><body><main><div class="note" id="note">Saved: the consent is active.</div></main>
<script>requestAnimationFrame(() => requestAnimationFrame(() => document.getElementById('note').classList.add('shown')));</script>
</body></html>`;

describe.skipIf(!canRun)('the accessibility check (Chromium)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
  });
  afterAll(() => browser?.close());

  it('waits for a fade to end: text half faded into a grey page is not a contrast failure', async () => {
    const tab = await browser.newPage();
    await tab.setContent(page(1500));
    await tab.waitForFunction(() => document.getAnimations().length > 0);
    await expectNoAxeViolations(tab, 'a notification fading in');
    expect(await tab.evaluate(() => getComputedStyle(document.getElementById('note')!).opacity)).toBe('1');
    await tab.close();
  });

  it('still fails on text whose contrast is too low once it has settled', async () => {
    const tab = await browser.newPage();
    await tab.setContent(page(300, '#bbbbbb'));
    const failure = await expectNoAxeViolations(tab, 'pale text').then(
      () => null,
      (err: { actual?: unknown }) => err,
    );
    expect(JSON.stringify(failure?.actual)).toMatch(/color-contrast/);
    await tab.close();
  });
});
