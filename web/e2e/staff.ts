import { expect, type Page } from '@playwright/test';

// Signs a staff member of Amt Musterland in on the login form of `path` (the
// workspace by default) and waits until the form is gone. The demo passwords
// come from scripts/test.sh (AMTSWEG_E2E_<LOGIN>_PASSWORD).
export async function signIn(page: Page, login: string, password: string | undefined, path = '/arbeitsplatz/amt-musterland') {
  expect(password, `scripts/test.sh passes the demo password of "${login}"`).toBeTruthy();
  await page.goto(path);
  await page.getByLabel('Benutzername').fill(login);
  await page.getByLabel('Passwort').fill(password ?? '');
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await expect(page.getByLabel('Passwort')).toHaveCount(0, { timeout: 15_000 });
}
