import { expect, test, type Page } from '@playwright/test';
import { plakatierungAntrag } from './applications';
import { noAxeViolations } from './axe';

// The citizen portal and the staff workspace of the demo municipality
// (scripts/test.sh seeds "Amt Musterland" before the server starts).

const plakatierung = plakatierungAntrag({ name: 'Heimatverein Musterdorf e. V.', strasse: 'Dorfstraße 3', email: 'vorstand@heimatverein.example', veranstaltung: 'Hoffest mit Flohmarkt', verantwortlich: 'Jürgen Jäger' });

test('the start page lists Amt Musterland and leads to its services', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Amt Musterland' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Online-Dienste: Amt Musterland');
  await expect(page.locator('.service-list > li')).toHaveCount(3);
  await noAxeViolations(page);
});

test('the service finder narrows the list as one types, umlauts and case ignored', async ({ page }) => {
  await page.goto('/amt-musterland');
  await expect(page.locator('.service-list > li')).toHaveCount(3);
  await page.getByLabel('Leistung suchen').fill('aufgrabe');
  await expect(page.locator('.service-list > li')).toHaveCount(1);
  await expect(page.getByRole('status').filter({ hasText: 'Leistungen' })).toHaveText('1 Leistungen');
  await page.getByLabel('Leistung suchen').fill('VORKAUFSRECHT');
  await expect(page.locator('.service-list > li')).toHaveCount(1);
});

test('a service page states fees, legal basis and time, then opens the form', async ({ page }) => {
  await page.goto('/amt-musterland');
  await page.getByRole('link', { name: 'Plakatierung (Sondernutzung)' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Plakatierung (Sondernutzung)');
  await expect(page.locator('.facts')).toContainText('§ 21 Straßen- und Wegegesetz');
  await expect(page.locator('.facts')).toContainText('etwa 10 Tage');
  await noAxeViolations(page);
  await page.getByRole('link', { name: 'Antrag stellen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Antrag: Plakatierung (Sondernutzung)');
  await expect(page.getByLabel('Veranstaltung oder Wahl')).toBeVisible();
  await noAxeViolations(page);
  // Going on without answers: the browser-side check lists what is missing.
  await page.getByRole('button', { name: 'Weiter zur Prüfung' }).click();
  await expect(page.locator('.error-summary')).toBeFocused();
  await expect(page.locator('.error-summary li').first()).toBeVisible();
});

test('in English the form shows its English labels', async ({ page }) => {
  await page.goto('/amt-musterland/leistungen/musterland-plakatierung/antrag');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByLabel('Event or election')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});

// The election day is asked only for election advertising: a FEEL condition
// (`=zweck != "wahlwerbung"`) that the form renderer evaluates without
// loading the full FEEL (src/lib/formFeel.ts). The date is the browser's own
// date field, labelled, taking an ISO date.
test('the form asks for the election day only for election advertising', async ({ page }) => {
  await page.goto('/amt-musterland/leistungen/musterland-plakatierung/antrag');
  await expect(page.getByLabel('Veranstaltung oder Wahl')).toBeVisible();
  const scripts = () => page.evaluate(() => performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.js')).length);
  await page.waitForLoadState('networkidle');
  const before = await scripts();
  const electionDay = page.getByLabel('Wahltag');
  const purpose = page.locator('.fjs-form-field-select').filter({ hasText: 'Zweck der Plakatierung' }).locator('.fjs-input-group');
  await expect(electionDay).toHaveCount(0);
  await purpose.click();
  await page.locator('.fjs-dropdownlist-item', { hasText: 'Wahlwerbung' }).click();
  await expect(electionDay).toBeVisible();
  await expect(electionDay).toHaveAttribute('type', 'date');
  // Under load (two `make test` runs at load 3-5 of about 30) a date filled
  // right after the field appeared was empty again. One cause is found and
  // fixed (the next test reproduces it); another remains unexplained, so the
  // fill is repeated if its value is gone (web/README.md, "Open").
  await expect(async () => {
    await electionDay.fill('2027-09-26');
    await expect(electionDay).toHaveValue('2027-09-26', { timeout: 2_000 });
  }).toPass({ timeout: 15_000 });
  await noAxeViolations(page);
  await purpose.click();
  await page.locator('.fjs-dropdownlist-item', { hasText: 'Gewerbliche Veranstaltung' }).click();
  await expect(electionDay).toHaveCount(0);
  // No further script was needed for the condition.
  expect(await scripts()).toBe(before);
});

// A date entered the moment its field appears (autofill, a fast hand) must
// stay: form-js's date field used to replace the pending change with its own
// start-up refresh. The page sets the value from a MutationObserver, i.e.
// right after the field is inserted and before its effects run.
test('a date entered the moment its field appears is kept', async ({ page }) => {
  await page.goto('/amt-musterland/leistungen/musterland-plakatierung/antrag');
  await expect(page.getByLabel('Veranstaltung oder Wahl')).toBeVisible();
  const purpose = page.locator('.fjs-form-field-select').filter({ hasText: 'Zweck der Plakatierung' }).locator('.fjs-input-group');
  await page.evaluate(() => {
    const observer = new MutationObserver(() => {
      const input = document.querySelector<HTMLInputElement>('input[type="date"][id$="f_wahltag-date"]');
      if (!input) return;
      observer.disconnect();
      input.value = '2027-09-26';
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    observer.observe(document.body, { childList: true, subtree: true });
  });
  await purpose.click();
  await page.locator('.fjs-dropdownlist-item', { hasText: 'Wahlwerbung' }).click();
  const electionDay = page.getByLabel('Wahltag');
  await expect(electionDay).toBeVisible();
  // Let every effect and re-render run, then the value must still be there.
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 100))));
  await expect(electionDay).toHaveValue('2027-09-26');
});

test('a submission shows its status by tracking code, without personal data', async ({ page, request }) => {
  const r = await request.post('/api/v1/services/musterland-plakatierung/submissions', { data: plakatierung });
  expect(r.status()).toBe(201);
  const receipt = (await r.json()) as { trackingCode: string };
  await page.goto('/amt-musterland');
  await page.getByLabel('Vorgangsnummer').fill(receipt.trackingCode.toLowerCase());
  await page.getByRole('button', { name: 'Stand anzeigen' }).click();
  await expect(page.locator('#submission-status dd[data-stage]')).toHaveAttribute('data-stage', 'received');
  await expect(page.locator('main')).not.toContainText('Heimatverein');
  await noAxeViolations(page);
});

test('an unknown tracking code is reported, not an error page', async ({ page }) => {
  await page.goto('/amt-musterland/status/ABCD-EFGH-JKMN');
  await expect(page.getByRole('alert')).toContainText('keinen Antrag');
});

test('a case worker signs in and finds the application in the Ordnungsamt inbox', async ({ page, request }) => {
  const password = process.env['AMTSWEG_E2E_ORDNUNG_PASSWORD'];
  expect(password, 'scripts/test.sh passes the demo password').toBeTruthy();
  const r = await request.post('/api/v1/services/musterland-plakatierung/submissions', { data: plakatierung });
  expect(r.status()).toBe(201);

  await page.goto('/arbeitsplatz/amt-musterland');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Anmeldung für Mitarbeitende');
  await noAxeViolations(page);
  await page.getByLabel('Passwort').fill('falsch');
  await page.getByLabel('Benutzername').fill('ordnung');
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await expect(page.locator('.error-summary')).toContainText('stimmen nicht');

  await page.getByLabel('Passwort').fill(password ?? '');
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Posteingang');
  await page.getByRole('button', { name: 'Meine Fachbereiche' }).click();
  const task = page.getByRole('link', { name: 'Antrag prüfen' }).first();
  await expect(task).toBeVisible();
  await noAxeViolations(page);
  await task.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Antrag prüfen');
  await page.getByRole('button', { name: 'Übernehmen' }).click();
  await expect(page.locator('#task-assignee')).toHaveText('ordnung');
  // The case data the process carries, with the fee from the DMN decision.
  await expect(page.locator('pre.result')).toContainText('"gebuehr": 25');
});

test('the designer asks for a sign-in, then opens a deployed process in bpmn-js', async ({ page }) => {
  await page.goto('/designer/amt-musterland');
  await expect(page.getByRole('status').filter({ hasText: 'Bitte melden Sie sich an' })).toBeVisible();
  await noAxeViolations(page);
  await page.getByRole('link', { name: 'Anmeldung für Mitarbeitende' }).click();
  await page.getByLabel('Benutzername').fill('ordnung');
  await page.getByLabel('Passwort').fill(process.env['AMTSWEG_E2E_ORDNUNG_PASSWORD'] ?? '');
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Posteingang');

  await page.goto('/designer/amt-musterland');
  const processes = page.locator('section', { has: page.getByRole('heading', { name: 'Prozesse (BPMN)' }) });
  // The three services' processes (and the open data timer process the demo defines).
  for (const name of ['plakatierung', 'negativbescheinigung', 'aufgrabegenehmigung']) {
    await expect(processes.getByRole('link', { name })).toBeVisible();
  }
  await noAxeViolations(page);
  await processes.getByRole('link', { name: 'aufgrabegenehmigung' }).click();
  // The deployed file, byte for byte from the server, rendered by bpmn-js.
  await expect(page.locator('[data-element-id="vollstaendigkeit"]')).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('[data-element-id="warten"]')).toBeVisible();
});
