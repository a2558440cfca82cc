import { expect, test, type Page } from '@playwright/test';
import { plakatierungAntrag } from './applications';
import { noAxeViolations } from './axe';

// The dashboards of the demo municipality (scripts/test.sh seeds "Amt
// Musterland"), signed in as Lena Leitung (manager: an Analysts role).

// The same fee-relevant answers as portal.spec.ts (commercial, 20 posters,
// 10 days: 25 € minimum fee), whose inbox test opens the first task it finds.
const plakatierung = plakatierungAntrag({ name: 'Kulturverein Musterdorf e. V.', strasse: 'Dorfstraße 5', email: 'kultur@verein.example', veranstaltung: 'Sommerkonzert', verantwortlich: 'Karla Kultur' });

interface Overview {
  totals: { received: number; open: number };
  services: { serviceId: string; received: number }[];
}

async function signIn(page: Page) {
  const password = process.env['AMTSWEG_E2E_LEITUNG_PASSWORD'];
  expect(password, 'scripts/test.sh passes the demo password').toBeTruthy();
  await page.goto('/auswertung/amt-musterland');
  await expect(page.getByRole('status').filter({ hasText: 'Bitte melden Sie sich an' })).toBeVisible();
  await noAxeViolations(page);
  await page.getByRole('link', { name: 'Anmeldung für Mitarbeitende' }).click();
  await page.getByLabel('Benutzername').fill('leitung');
  await page.getByLabel('Passwort').fill(password ?? '');
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Posteingang');
}

// The API as the signed-in page sees it (the session cookie is SameSite=Strict).
async function overview(page: Page, query = ''): Promise<Overview> {
  const [status, body] = await page.evaluate(async (url) => {
    const r = await fetch(url, { headers: { Accept: 'application/json' } });
    return [r.status, await r.json()] as const;
  }, `/api/v1/tenants/amt-musterland/analytics/overview${query}`);
  expect(status).toBe(200);
  return body as Overview;
}

for (const [name, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 375, height: 812 }]] as const) {
  test.describe(`on ${name}`, () => {
    test.use({ viewport });

    test('a manager sees KPIs from real applications, switches a chart to its table, filters by service', async ({ page }) => {
      await signIn(page);
      const before = await overview(page);
      for (let i = 0; i < 2; i++) {
        const r = await page.request.post('/api/v1/services/musterland-plakatierung/submissions', { data: plakatierung });
        expect(r.status()).toBe(201);
      }
      // From the workspace, where analysts find the link.
      await page.goto('/arbeitsplatz/amt-musterland');
      await page.getByRole('link', { name: 'Auswertung' }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Auswertung');
      const received = page.locator('[data-kpi="received"] dd');
      const expected = before.totals.received + 2;
      await expect(received).toHaveText(expected.toLocaleString('de-DE'));
      await expect(page.locator('[data-kpi="open"] dd')).toHaveText((before.totals.open + 2).toLocaleString('de-DE'));
      const plakatRow = page.locator('#service-table tbody tr', { hasText: 'Plakatierung (Sondernutzung)' });
      const plakatBefore = before.services.find((s) => s.serviceId === 'musterland-plakatierung')?.received ?? 0;
      await expect(plakatRow.locator('td').first()).toHaveText(String(plakatBefore + 2));
      await expect(page.locator('#trend-body [role="img"] svg')).toBeVisible();
      await noAxeViolations(page);
      // No horizontal scrolling of the page (tables scroll in their own box).
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);

      // The trend chart as a table, by keyboard.
      const toggle = page.locator('#trend-title').locator('xpath=..').getByRole('button', { name: 'Als Tabelle zeigen' });
      await toggle.focus();
      await page.keyboard.press('Enter');
      const table = page.getByRole('table', { name: 'Eingänge und Abschlüsse im Zeitverlauf' });
      await expect(table).toBeVisible();
      const rows = table.locator('tbody tr');
      const sum = await rows.evaluateAll((trs) => trs.reduce((n, tr) => n + Number((tr.querySelectorAll('td')[0]?.textContent ?? '0').replace(/\./g, '')), 0));
      expect(sum).toBe(expected);  // every application received falls in one period
      await expect(page.locator('#trend-title').locator('xpath=..').getByRole('button', { name: 'Als Diagramm zeigen' })).toHaveAttribute('aria-pressed', 'true');
      await noAxeViolations(page);

      // Filters go into the URL and narrow the figures.
      await page.getByLabel('Leistung', { exact: true }).selectOption('musterland-plakatierung');
      await expect(page).toHaveURL(/service=musterland-plakatierung/);
      await expect(received).toHaveText(String(plakatBefore + 2));
      await page.getByLabel('Zeitraster').selectOption('week');
      await expect(page).toHaveURL(/interval=week/);
      await page.reload();
      await expect(page.getByLabel('Leistung', { exact: true })).toHaveValue('musterland-plakatierung');
      await expect(received).toHaveText(String(plakatBefore + 2));
    });

    test('the process diagram shows counts per activity over bpmn-js, and the same as a table', async ({ page }) => {
      await signIn(page);
      const r = await page.request.post('/api/v1/services/musterland-plakatierung/submissions', { data: plakatierung });
      expect(r.status()).toBe(201);
      await page.goto('/auswertung/amt-musterland');
      await page.getByRole('link', { name: 'Prozessdiagramm: Plakatierung (Sondernutzung)' }).click();
      await expect(page.getByRole('heading', { level: 1 })).toContainText('plakatierung');
      const overlay = page.locator('.heat-overlay').first();
      await expect(overlay).toBeVisible({ timeout: 15_000 });
      const table = page.locator('#activity-table');
      const first = table.locator('tbody tr').first();
      const id = await first.getAttribute('data-activity');
      const count = await first.locator('td').first().textContent();
      await expect(page.locator(`.heat-overlay[data-activity="${id}"]`)).toContainText(`${count} ×`);
      await page.getByRole('button', { name: 'Wartezeit' }).click();
      await expect(page.getByRole('button', { name: 'Wartezeit' })).toHaveAttribute('aria-pressed', 'true');
      await page.getByRole('button', { name: 'English' }).click();
      await expect(page.getByRole('table', { name: /Activities/ })).toBeVisible();
      await noAxeViolations(page);
    });
  });
}
