import { expect, test, type Page } from '@playwright/test';
import { signIn } from './staff';
import { noAxeViolations } from './axe';

// The administration pages of Amt Musterland (scripts/test.sh seeds the demo
// and passes the admin's and a case worker's one-time passwords).

async function signInAdmin(page: Page, login: string, password: string | undefined) {
  await signIn(page, login, password, '/verwaltung/amt-musterland');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Verwaltung');
}

test('a case worker is told that the administration is not for them', async ({ page }) => {
  await signInAdmin(page, 'ordnung', process.env['AMTSWEG_E2E_ORDNUNG_PASSWORD']);
  await expect(page.locator('.notice')).toContainText('nur für Administratorinnen');
  await expect(page.getByRole('button', { name: 'Fachbereiche' })).toHaveCount(0);
});

test('an administrator creates a department, with the server naming a wrong field first', async ({ page }) => {
  await signInAdmin(page, 'admin', process.env['AMTSWEG_E2E_ADMIN_PASSWORD']);
  const table = page.locator('table', { has: page.locator('caption', { hasText: 'Fachbereiche' }) });
  await expect(table.getByRole('cell', { name: 'Ordnungsamt', exact: true })).toBeVisible();
  await noAxeViolations(page);

  await page.getByLabel('Kennung').fill('Bürgerbüro!');
  await page.getByLabel('Name', { exact: true }).fill('Bürgerbüro');
  await page.getByRole('button', { name: 'Anlegen' }).click();
  const summary = page.locator('.error-summary');
  await expect(summary).toBeFocused();
  await expect(page.getByLabel('Kennung')).toHaveAttribute('aria-invalid', 'true');
  await noAxeViolations(page);
  // The summary links to the field.
  await summary.getByRole('link').first().click();
  await expect(page.getByLabel('Kennung')).toBeFocused();

  const id = `buergerbuero-${Date.now() % 100000}`;
  await page.getByLabel('Kennung').fill(id);
  await page.getByRole('button', { name: 'Anlegen' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Gespeichert' })).toBeVisible();
  await expect(table.getByRole('cell', { name: id, exact: true })).toBeVisible();
});

test('an administrator creates a staff account with roles and departments, and locks it', async ({ page }) => {
  await signInAdmin(page, 'admin', process.env['AMTSWEG_E2E_ADMIN_PASSWORD']);
  await page.getByRole('button', { name: 'Mitarbeitende' }).click();
  const login = `sb${Date.now() % 100000}`;
  await page.getByLabel('Benutzername').fill(login);
  await page.getByLabel('Name', { exact: true }).fill('Sabine Bäcker');
  await page.getByLabel('E-Mail-Adresse').fill(`${login}@musterland.example`);
  await page.getByLabel('Passwort').fill('kurz');
  await page.getByLabel('Sachbearbeitung').check();
  await page.getByLabel('Tiefbau').check();
  await page.getByRole('button', { name: 'Anlegen' }).click();
  // Too short a password: named at the field, nothing created.
  await expect(page.locator('#user-password-error')).toBeVisible();
  await expect(page.getByRole('cell', { name: login, exact: true })).toHaveCount(0);
  await noAxeViolations(page);

  await page.getByLabel('Passwort').fill('ein-langes-Passwort-2026');
  await page.getByRole('button', { name: 'Anlegen' }).click();
  const row = page.getByRole('row', { name: new RegExp(login) });
  await expect(row).toContainText('Sachbearbeitung');
  await expect(row).toContainText('tiefbau');
  await expect(row).toContainText('aktiv');
  await row.getByRole('button', { name: `Sperren: ${login}` }).click();
  await expect(page.getByRole('status').filter({ hasText: `Konto ${login} gesperrt` })).toBeVisible();
  await expect(row).toContainText('gesperrt');
});

test('an administrator edits a service in the catalogue', async ({ page, request }) => {
  await signInAdmin(page, 'admin', process.env['AMTSWEG_E2E_ADMIN_PASSWORD']);
  await page.getByRole('button', { name: 'Leistungen' }).click();
  const row = page.getByRole('row', { name: /Aufgrabe/ });
  await expect(row).toContainText('99107012001000');  // its LeiKa key
  await noAxeViolations(page);
  await row.getByRole('button', { name: /Bearbeiten/ }).click();
  const days = page.getByLabel('Bearbeitungszeit (Tage)');
  const before = await days.inputValue();
  await days.fill('');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.locator('.error-summary')).toBeFocused();
  await expect(days).toHaveAttribute('aria-invalid', 'true');

  await days.fill(String(Number(before) + 1));
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Gespeichert' })).toBeVisible();
  // The public catalogue shows the change at once.
  const svc = await (await request.get('/api/v1/services/musterland-aufgrabegenehmigung')).json();
  expect(svc.processingTimeDays).toBe(Number(before) + 1);
  // Put it back for the other browser tests.
  await row.getByRole('button', { name: /Bearbeiten/ }).click();
  await days.fill(before);
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Gespeichert' })).toBeVisible();
});
