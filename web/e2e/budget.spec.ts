import { expect, test, type Page } from '@playwright/test';

// The portal's JavaScript budget (issue 8: < 150 KB gzip): what the browser
// really fetches for a citizen's pages, counted from the resource timing
// (bytes on the wire; the server sends the build's precompressed .gz twins).
// Only sizes are checked here; load times are figures of `make bench`.
const budgetBytes = 150 * 1024;

async function jsOnTheWire(page: Page, path: string, ready: string) {
  await page.goto(path);
  await page.locator(ready).first().waitFor({ state: 'visible' });
  await page.waitForLoadState('networkidle');
  return page.evaluate(() =>
    performance.getEntriesByType('resource')
      .filter((r) => new URL(r.name).pathname.endsWith('.js'))
      .map((r) => ({ name: new URL(r.name).pathname, wire: (r as PerformanceResourceTiming).encodedBodySize,
        decoded: (r as PerformanceResourceTiming).decodedBodySize })));
}

for (const { name, path, ready } of [
  { name: 'municipality start page', path: '/amt-musterland', ready: 'main h1' },
  { name: 'service page', path: '/amt-musterland/leistungen/musterland-plakatierung', ready: 'main h1' },
  { name: 'form page', path: '/amt-musterland/leistungen/musterland-plakatierung/antrag', ready: '.fjs-form input' },
]) {
  test(`the ${name} ships less than 150 KB of JavaScript, compressed`, async ({ page }) => {
    const scripts = await jsOnTheWire(page, path, ready);
    expect(scripts.length).toBeGreaterThan(0);
    const wire = scripts.reduce((n, s) => n + s.wire, 0);
    const decoded = scripts.reduce((n, s) => n + s.decoded, 0);
    // Compressed: the wire bytes are well below the decoded ones.
    expect(wire).toBeLessThan(decoded * 0.6);
    expect(wire, scripts.map((s) => `${s.name}: ${s.wire} B`).join('\n')).toBeLessThan(budgetBytes);
  });
}

test('no designer or workspace code is loaded for citizens', async ({ page }) => {
  const scripts = await jsOnTheWire(page, '/amt-musterland/leistungen/musterland-plakatierung/antrag', '.fjs-form input');
  const names = scripts.map((s) => s.name).join(' ');
  expect(names).not.toMatch(/Designer|BpmnEditor|DmnEditor|FormEditor|Workspace/);
});
