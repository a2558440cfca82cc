import { expect, test, type Browser, type Page } from '@playwright/test';
import { plakatierungAntrag } from './applications';
import { signIn } from './staff';
import { noAxeViolations } from './axe';

// Issue 8: "designer deploys a changed process and the next submission follows
// it". Dora Design (process designer) opens the Plakatierung process in bpmn-js,
// renames its user task in the properties panel, checks the model, deploys it
// (a progress bar while the server works, then version N+1 in the version
// list); a citizen applies, and Olaf Ordnung's inbox shows the task under its
// new name. If the deployment were ignored, the inbox would show the old name.
// At the end the old name is deployed again (version N+2), so the other specs
// see the process as seeded.

const baseURL = process.env['AMTSWEG_E2E_URL'] ?? 'http://127.0.0.1:8080';
const renamed = 'Plakate prüfen (Fassung 2)';
const original = 'Antrag prüfen';

const plakatierung = plakatierungAntrag({ name: 'Kulturkreis Musterdorf e. V.', strasse: 'Am Markt 1', email: 'info@kulturkreis.example', veranstaltung: 'Herbstkonzert', verantwortlich: 'Karla Klang', zeitraum: { von: '2027-09-01', bis: '2027-09-20' }, anzahl: 12 });

// Script errors and console errors (a CSP refusal of a font or script among
// them) of a page, collected for the end of a test.
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The workspace asks for the session before sign-in: its 401/403 is expected.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 40[13] /.test(m.text())) errors.push(m.text());
  });
  return errors;
}

async function staffPage(browser: Browser) {
  const ctx = await browser.newContext({ baseURL, locale: 'de-DE', viewport: { width: 1280, height: 900 } });
  return ctx.newPage();
}

// Renames the user task "pruefen" through the properties panel, checks and
// deploys; returns the version the server reports.
async function renameAndDeploy(page: Page, name: string, expectedVersion: number) {
  const task = page.locator('.djs-element[data-element-id="pruefen"]');
  const field = page.locator('#bio-properties-panel-name');
  // Select the task on the canvas (again, if a layout shift made the click miss).
  await expect(async () => {
    await task.click();
    await expect(page.locator('.bio-properties-panel-header-type')).toHaveText('User Task', { timeout: 2_000 });
  }).toPass({ timeout: 15_000 });
  // The properties panel opens with its groups closed: open "General".
  if (!(await field.isVisible())) await page.locator('.bio-properties-panel-group-header', { hasText: 'General' }).click();
  await expect(field).toBeVisible();
  await field.fill(name);
  // The panel writes the name into the model; the diagram's label shows it.
  await expect(task).toContainText(name.split(' ')[0] ?? name);

  const outcome = page.locator('.model-toolbar [role="status"]');
  await page.getByRole('button', { name: 'Prüfen', exact: true }).click();
  await expect(outcome).toContainText(/Keine Probleme gefunden|Hinweise gefunden/);
  await expect(outcome.locator('.finding-error')).toHaveCount(0);

  // Hold the deployment a moment so that its progress can be seen.
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => { release = r; });
  await page.route('**/api/v1/tenants/amt-musterland/deployments', async (route) => {
    await held;
    await route.continue();
  });
  await page.getByRole('button', { name: 'Bereitstellen' }).click();
  await expect(outcome).toContainText('Wird bereitgestellt');
  await expect(page.locator('progress.model-progress')).toBeVisible();
  release();
  await expect(outcome).toContainText(`plakatierung ist als Version ${expectedVersion} bereitgestellt.`, { timeout: 15_000 });
  await expect(page.locator('progress.model-progress')).toHaveCount(0);
  await page.unroute('**/api/v1/tenants/amt-musterland/deployments');
  await expect(page.locator('#model-versions tbody tr').first()).toHaveAttribute('data-version', String(expectedVersion));
}

test('a designer renames a task and deploys; the next submission follows the new version', async ({ browser, request }) => {
  test.setTimeout(180_000);
  const designPassword = process.env['AMTSWEG_E2E_DESIGN_PASSWORD'];
  const ordnungPassword = process.env['AMTSWEG_E2E_ORDNUNG_PASSWORD'];
  expect(designPassword, 'scripts/test.sh passes the demo password of "design"').toBeTruthy();
  expect(ordnungPassword, 'scripts/test.sh passes the demo password of "ordnung"').toBeTruthy();

  const designer = await staffPage(browser);
  const errors = collectErrors(designer);
  await signIn(designer, 'design', designPassword ?? '');
  // From the workspace to the designer: a full page load, under the designer's own CSP.
  await designer.getByRole('link', { name: /^Designer/ }).click();
  await expect(designer).toHaveURL(/\/designer\/amt-musterland$/);
  await expect(designer.getByRole('heading', { level: 1 })).toHaveText('Designer');
  await expect(designer.locator('section', { has: designer.getByRole('heading', { name: 'Formulare' }) }).getByRole('link').first()).toBeVisible();
  await noAxeViolations(designer);
  const processes = designer.locator('section', { has: designer.getByRole('heading', { name: 'Prozesse (BPMN)' }) });
  await processes.getByRole('link', { name: 'plakatierung', exact: true }).click();
  await expect(designer.locator('.djs-element[data-element-id="pruefen"]')).toBeVisible({ timeout: 20_000 });
  await expect(designer.locator('.djs-element[data-element-id="pruefen"]')).toContainText('Antrag');
  await expect(designer.getByRole('heading', { level: 1 })).toHaveText('plakatierung');
  // The version list: the deployed versions, the opened one marked.
  const firstRow = designer.locator('#model-versions tbody tr').first();
  await expect(firstRow).toHaveAttribute('data-version', /\d+/);
  const before = Number(await firstRow.getAttribute('data-version'));
  await expect(firstRow).toContainText('geöffnet');

  await renameAndDeploy(designer, renamed, before + 1);
  await noAxeViolations(designer);
  await designer.screenshot({ path: 'test-results/designer/01-deployed.png', fullPage: true });

  // A citizen applies; the case starts on the new version.
  const r = await request.post('/api/v1/services/musterland-plakatierung/submissions', { data: plakatierung });
  expect(r.status()).toBe(201);
  const { trackingCode } = (await r.json()) as { trackingCode: string };

  const staff = await staffPage(browser);
  await signIn(staff, 'ordnung', ordnungPassword ?? '');
  await expect(staff.getByRole('heading', { level: 1 })).toHaveText('Posteingang');
  await staff.getByRole('button', { name: 'Nicht zugewiesen' }).click();
  await staff.getByLabel('Filtern').fill(trackingCode);
  await expect(staff.locator('#inbox tbody tr')).toHaveCount(1, { timeout: 15_000 });
  await expect(staff.locator('#inbox tbody tr').first()).toContainText(renamed);
  await staff.screenshot({ path: 'test-results/designer/02-inbox.png', fullPage: true });
  await staff.context().close();

  // Back to the name the other specs expect: one more version.
  await renameAndDeploy(designer, original, before + 2);
  expect(errors).toEqual([]);
  await designer.context().close();
});

// The form editor (form-js editor) of a new form, with its palette and
// properties panel, takes the fields of an XDatenfelder file (FIM) and saves
// the form into the catalogue. Any script error on the page fails the test:
// two copies of preact once left the editor blank.
test('a designer imports an XDatenfelder file into a new form in the form editor and saves it', async ({ browser }) => {
  test.setTimeout(120_000);
  const conformance = process.env['AMTSWEG_CONFORMANCE'] ?? new URL('../../../shared/conformance', import.meta.url).pathname;
  const xdf = `${conformance}/xdatenfelder/v2/S00000094V1.0_xdf2.xml`;
  const { existsSync } = await import('node:fs');
  test.skip(!existsSync(xdf), `no conformance data at ${xdf}`);
  const designer = await staffPage(browser);
  const errors = collectErrors(designer);
  await signIn(designer, 'design', process.env['AMTSWEG_E2E_DESIGN_PASSWORD'] ?? '');
  await designer.goto('/designer/amt-musterland');
  await designer.getByLabel('Art').selectOption('form');
  await designer.getByLabel('Name').fill('Import Test');
  await designer.getByRole('button', { name: 'Anlegen' }).click();
  const canvas = designer.locator('.form-canvas');
  await expect(canvas.locator('.fjs-palette-container')).toBeVisible({ timeout: 20_000 });
  await expect(canvas.locator('.fjs-properties-container')).toBeVisible();
  const fields = canvas.locator('.fjs-editor-container .fjs-form-field');
  const empty = await fields.count();

  await designer.getByLabel('XDatenfelder-Datei importieren').setInputFiles(xdf);
  const outcome = designer.locator('.model-toolbar [role="status"]');
  await expect(outcome).toContainText(/importiert|Importiert/, { timeout: 15_000 });
  await expect.poll(() => fields.count()).toBeGreaterThan(empty + 5);
  await designer.screenshot({ path: 'test-results/designer/03-form-imported.png', fullPage: true });
  await noAxeViolations(designer);

  await designer.getByRole('button', { name: 'Als neue Version speichern' }).click();
  await expect(designer.getByRole('status').filter({ hasText: 'import_test ist als Version 1 gespeichert' })).toBeVisible({ timeout: 15_000 });
  await expect(designer).toHaveURL(/\/designer\/amt-musterland\/form\/import_test\?version=1$/);
  await expect(designer.locator('#model-versions tbody tr').first()).toHaveAttribute('data-version', '1');
  await expect.poll(() => fields.count()).toBeGreaterThan(empty + 5);
  const imported = await fields.count();

  // Listed among the forms of the catalogue, and opened again from there.
  await designer.goto('/designer/amt-musterland');
  const forms = designer.locator('section', { has: designer.getByRole('heading', { name: 'Formulare' }) });
  await forms.getByRole('link', { name: 'import_test', exact: true }).click();
  await expect(canvas.locator('.fjs-palette-container')).toBeVisible({ timeout: 20_000 });
  await expect.poll(() => fields.count()).toBe(imported);
  await expect(designer.locator('#model-versions tbody tr').first()).toContainText('geöffnet');
  await expect(designer.getByText('Kein Dienst verwendet dieses Formular als Antragsformular.')).toBeVisible();

  // Creating it again as new is refused: it would overwrite the saved form.
  await designer.goto('/designer/amt-musterland');
  await designer.getByLabel('Art').selectOption('form');
  await designer.getByLabel('Name').fill('Import Test');
  await designer.getByRole('button', { name: 'Anlegen' }).click();
  await expect(canvas.locator('.fjs-palette-container')).toBeVisible({ timeout: 20_000 });
  await designer.getByRole('button', { name: 'Als neue Version speichern' }).click();
  await expect(outcome).toContainText('gibt es schon');
  expect(errors).toEqual([]);
  await designer.context().close();
});

// The application form of a demo service, edited in the designer: a label is
// changed and saved as the next version of the catalogue form; the service
// still shows the version it names until the designer switches it; then the
// citizen's form shows the new label. Switched back at the end (the other
// specs expect the seeded form) by opening the old version and using it.
test('a designer changes a service\'s application form; after switching the service, citizens get it', async ({ browser }) => {
  test.setTimeout(150_000);
  const designer = await staffPage(browser);
  const errors = collectErrors(designer);
  await signIn(designer, 'design', process.env['AMTSWEG_E2E_DESIGN_PASSWORD'] ?? '');
  await designer.goto('/designer/amt-musterland');
  const forms = designer.locator('section', { has: designer.getByRole('heading', { name: 'Formulare' }) });
  await forms.getByRole('link', { name: 'plakatierung', exact: true }).click();
  const canvas = designer.locator('.form-canvas');
  const field = canvas.locator('.fjs-editor-container .fjs-form-field', { hasText: 'Veranstaltung oder Wahl' }).last();
  await expect(field).toBeVisible({ timeout: 20_000 });
  const before = Number(await designer.locator('#model-versions tbody tr').first().getAttribute('data-version'));
  const service = designer.locator('#form-services tbody tr[data-service="musterland-plakatierung"]');
  await expect(service).toHaveAttribute('data-version', String(before));

  // The label in the properties panel (a FEEL-templating entry of form-js).
  await field.click();
  const label = designer.locator('.fjs-properties-container #bio-properties-panel-label');
  // The panel may open with its groups closed: open "General".
  if (!(await label.isVisible())) await designer.locator('.fjs-properties-container .bio-properties-panel-group-header', { hasText: 'General' }).click();
  await expect(label).toBeVisible();
  await label.click();
  await designer.keyboard.press('Control+A');
  await designer.keyboard.type('Anlass der Plakatierung');
  // The canvas shows the new label once the panel has written it into the form.
  await expect(canvas.locator('.fjs-form-field-label', { hasText: 'Anlass der Plakatierung' })).toBeVisible();
  await designer.getByRole('button', { name: 'Als neue Version speichern' }).click();
  await expect(designer.getByRole('status').filter({ hasText: `plakatierung ist als Version ${before + 1} gespeichert` })).toBeVisible({ timeout: 15_000 });
  await expect(designer.locator('#model-versions tbody tr').first()).toHaveAttribute('data-version', String(before + 1));
  await expect(canvas.locator('.fjs-form-field-label', { hasText: 'Anlass der Plakatierung' })).toBeVisible({ timeout: 20_000 });
  // Saving again without a change keeps the version.
  await designer.getByRole('button', { name: 'Als neue Version speichern' }).click();
  await expect(designer.locator('.model-toolbar [role="status"]')).toContainText(`Unverändert: Formular plakatierung bleibt Version ${before + 1}.`);

  // Until it is switched, the service keeps its version and citizens the old label.
  const citizen = await browser.newPage({ baseURL, locale: 'de-DE', viewport: { width: 375, height: 740 } });
  await citizen.goto('/amt-musterland/leistungen/musterland-plakatierung/antrag');
  await expect(citizen.getByLabel('Veranstaltung oder Wahl')).toBeVisible({ timeout: 20_000 });

  await service.getByRole('button', { name: `Version ${before + 1} für Plakatierung (Sondernutzung) verwenden` }).click();
  await expect(designer.getByRole('status').filter({ hasText: `verwendet jetzt Version ${before + 1}` })).toBeVisible({ timeout: 15_000 });
  await expect(service).toHaveAttribute('data-version', String(before + 1));
  await noAxeViolations(designer);
  // The editor stays inside the page: no horizontal scrolling.
  expect(await designer.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
  await designer.screenshot({ path: 'test-results/designer/04-form-switched.png', fullPage: true });

  await citizen.reload();
  await expect(citizen.getByLabel('Anlass der Plakatierung')).toBeVisible({ timeout: 20_000 });
  await expect(citizen.getByLabel('Veranstaltung oder Wahl')).toHaveCount(0);
  await citizen.screenshot({ path: 'test-results/designer/05-citizen-new-label.png', fullPage: true });

  // Back: open the old version from the list and use it again.
  await designer.getByRole('link', { name: `Version ${before} öffnen` }).click();
  await expect(designer.locator(`#model-versions tbody tr[data-version="${before}"]`)).toContainText('geöffnet', { timeout: 20_000 });
  await service.getByRole('button', { name: `Version ${before} für Plakatierung (Sondernutzung) verwenden` }).click();
  await expect(service).toHaveAttribute('data-version', String(before), { timeout: 15_000 });
  await citizen.reload();
  await expect(citizen.getByLabel('Veranstaltung oder Wahl')).toBeVisible({ timeout: 20_000 });
  expect(errors).toEqual([]);
  await citizen.close();
  await designer.context().close();
});

// The DMN editor's "test this decision" panel evaluates the model in the
// editor on the server (POST /models/decisions/evaluate) with the JSON a
// designer types: the Plakatierung fee exemption, one exempt purpose and one
// that is not, then input that is not JSON, reported at the panel.
test('a designer tests a decision of the Plakatierung in the DMN editor', async ({ browser }) => {
  test.setTimeout(120_000);
  const designer = await staffPage(browser);
  const errors = collectErrors(designer);
  await signIn(designer, 'design', process.env['AMTSWEG_E2E_DESIGN_PASSWORD'] ?? '');
  await designer.goto('/designer/amt-musterland');
  const decisions = designer.locator('section', { has: designer.getByRole('heading', { name: 'Entscheidungen (DMN)' }) });
  await decisions.getByRole('link', { name: /plakatierung/ }).first().click();
  // The page is named after the model's id, not its opaque key.
  await expect(designer.getByRole('heading', { level: 1 })).toHaveText('plakatierung_befreiung');
  const panel = designer.getByRole('complementary', { name: 'Entscheidung testen' });
  await expect(panel).toBeVisible({ timeout: 20_000 });
  await expect(designer.locator('.dmn-canvas .dmn-drd-container, .dmn-canvas .tjs-container').first()).toBeVisible({ timeout: 20_000 });
  // dmn-js's icon font is loaded (a CSP refusal would leave empty boxes).
  const dmnFont = await designer.evaluate(async () => {
    await document.fonts.load('16px dmn');
    const status: string[] = [];
    document.fonts.forEach((f) => { if (f.family.replace(/["']/g, '') === 'dmn') status.push(f.status); });
    return status;
  });
  expect(dmnFont).toContain('loaded');

  await panel.getByLabel('Entscheidung').selectOption({ label: 'befreiung' });
  const input = panel.getByLabel('Eingabedaten (JSON)');
  const result = panel.getByRole('status');
  await input.fill(JSON.stringify({ antrag: { zweck: 'gemeinnuetzig' } }));
  await panel.getByRole('button', { name: 'Auswerten' }).click();
  await expect(result).toContainText('Ergebnis');
  await expect(result).toContainText('"befreit": true');
  await expect(result).toContainText('gemeinnütziger Träger');

  await input.fill(JSON.stringify({ antrag: { zweck: 'gewerblich' } }));
  await panel.getByRole('button', { name: 'Auswerten' }).click();
  await expect(result).toContainText('"befreit": false');

  await input.fill('{ antrag: ');
  await panel.getByRole('button', { name: 'Auswerten' }).click();
  await expect(result).toContainText('Die Eingabedaten sind kein gültiges JSON.');
  await noAxeViolations(designer);
  await designer.screenshot({ path: 'test-results/designer/06-decision-tested.png', fullPage: true });
  expect(errors).toEqual([]);
  await designer.context().close();
});
