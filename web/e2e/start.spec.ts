import { expect, test } from '@playwright/test';
import { noAxeViolations } from './axe';

// The start page of an empty installation, served by a real `amtsweg serve`.

test('start page reports a ready server in German', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveTitle('Amtsweg');
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect(page.locator('#status')).toHaveAttribute('data-state', 'ready');
  await expect(page.locator('#status')).toContainText('Bereit');
});

test('language switch turns the page into English and back', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.locator('#status')).toContainText('Ready');
  await page.getByRole('button', { name: 'Deutsch' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
});

test('client routes fall back to the app and show a not-found page', async ({ page }) => {
  const response = await page.goto('/portal/leistungen/unbekannt');
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Seite nicht gefunden');
});

test('skip link is the first stop for keyboard users', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('Tab');
  await expect(page.locator('.skip-link')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#main')).toBeFocused();
});

for (const path of ['/', '/gibt-es-nicht']) {
  test(`no WCAG 2.1 AA violations on ${path}`, async ({ page }) => {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await noAxeViolations(page);
  });
}
