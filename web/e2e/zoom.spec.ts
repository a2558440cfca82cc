import { expect, test, type Page } from '@playwright/test';
import { plakatierungAntrag } from './applications';
import { signIn } from './staff';
import { noAxeViolations } from './axe';

// WCAG 1.4.4 (resize text to 200%) and 1.4.10 (reflow): a 1280 x 900 desk
// screen at 200% zoom is a 640 x 450 CSS-pixel viewport at device scale 2.
// Every page of the citizen's way and the case worker's inbox and task must
// fit without horizontal scrolling of the page (wide data tables may scroll
// inside their own box) and still pass axe.
test.use({ viewport: { width: 640, height: 450 }, deviceScaleFactor: 2, locale: 'de-DE' });

async function fitsAndPassesAxe(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth), page.url()).toBeLessThanOrEqual(640);
  await noAxeViolations(page);
}

test('the citizen pages reflow at 200% zoom', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('link', { name: 'Amt Musterland' })).toBeVisible();
  await fitsAndPassesAxe(page);
  await page.goto('/amt-musterland');
  await expect(page.locator('.service-list > li')).toHaveCount(3);
  await fitsAndPassesAxe(page);
  await page.goto('/amt-musterland/leistungen/musterland-aufgrabegenehmigung');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await fitsAndPassesAxe(page);
  await page.goto('/amt-musterland/leistungen/musterland-aufgrabegenehmigung/antrag');
  await expect(page.locator('.fjs-form-field').first()).toBeVisible({ timeout: 20_000 });
  await fitsAndPassesAxe(page);
  await page.goto('/amt-musterland/status/ABCD-EFGH-JKMN');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await fitsAndPassesAxe(page);
});

test('the case worker\'s inbox and task reflow at 200% zoom', async ({ page, request }) => {
  const password = process.env['AMTSWEG_E2E_ORDNUNG_PASSWORD'];
  expect(password, 'scripts/test.sh passes the demo password').toBeTruthy();
  const r = await request.post('/api/v1/services/musterland-plakatierung/submissions', {
    data: plakatierungAntrag({ name: 'Zoomverein Musterdorf e. V.', strasse: 'Lupenweg 2', email: 'zoom@verein.example', veranstaltung: 'Lesefest', verantwortlich: 'Lena Lupe' }),
  });
  expect(r.status()).toBe(201);
  await signIn(page, 'ordnung', password);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Posteingang');
  await page.getByRole('button', { name: 'Meine Fachbereiche' }).click();
  const task = page.getByRole('link', { name: 'Antrag prüfen' }).first();
  await expect(task).toBeVisible();
  await fitsAndPassesAxe(page);
  await task.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Antrag prüfen');
  await fitsAndPassesAxe(page);
});
