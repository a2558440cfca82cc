import { devices, expect, test, type Browser, type Page } from '@playwright/test';
import { plakatierungAntrag } from './applications';
import { signIn } from './staff';
import { noAxeViolations } from './axe';
import { chooseByKeyboard } from './form';

// Issue 8's whole story on the demo municipality (scripts/test.sh seeds it):
// a firm files an Aufgrabegenehmigung with a site plan on a phone; Berta Bau,
// case worker of the Tiefbau department, signs in at a desk, finds the case in
// her inbox, opens the case view and works the three tasks with their forms
// (complete, technical review, decision: granted); the serve worker writes the
// Bescheid and delivers it to the case's postbox; the citizen sees the new
// status (decided, with the date of each step) and, through its link, the
// postbox with the Bescheid PDF, and replies. A refusal, which ends the
// process, is the second test. axe (WCAG 2.1 AA) on every page; a screenshot of every step in
// test-results/story/.
//
// Refusal, not grant: the granted permit waits for the citizen's completion
// notice and the status page shows a submission's stage, which changes only
// when the process ends (see web/README.md).

const { defaultBrowserType: _ignored, ...pixel5 } = devices['Pixel 5'];
const baseURL = process.env['AMTSWEG_E2E_URL'] ?? 'http://127.0.0.1:8080';
test.use({ locale: 'de-DE', actionTimeout: 30_000, navigationTimeout: 30_000 });

let step = 0;
async function shot(page: Page, name: string) {
  step += 1;
  await page.screenshot({ path: `test-results/story/${String(step).padStart(2, '0')}-${name}.png`, fullPage: true });
}

// A small, well-formed one-page PDF (generated here, no fixture file).
function pdf(line: string): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    '',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const text = `BT /F1 18 Tf 72 760 Td (${line}) Tj ET`;
  objects[3] = `<< /Length ${text.length} >>\nstream\n${text}\nendstream`;
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

async function citizenFiles(page: Page): Promise<{ code: string; postfach: string }> {
  await page.goto('/amt-musterland/leistungen/musterland-aufgrabegenehmigung');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Aufgrabegenehmigung');
  await noAxeViolations(page);
  await shot(page, 'citizen-service');
  await page.getByRole('link', { name: 'Antrag stellen' }).click();
  await expect(page.getByLabel('Firma oder Name')).toBeVisible({ timeout: 15_000 });
  const fill = (label: string, text: string) => page.getByRole('textbox', { name: label, exact: true }).fill(text);
  await fill('Firma oder Name', 'Stadtwerke Musterdorf GmbH');
  await fill('Ansprechperson', 'Jürgen Jäger');
  await fill('Straße und Hausnummer', 'Hafenstraße 7');
  await fill('Postleitzahl', '24999');
  await fill('Ort', 'Musterdorf');
  await fill('E-Mail', 'netzbau@stadtwerke.example');
  await fill('Telefon', '+49 4600 777');
  await fill('Firma', 'Tiefbau Nord GmbH');
  await fill('Bauleitung (Name)', 'Grete Öztürk');
  await fill('Telefon der Bauleitung (jederzeit erreichbar)', '+49 170 7654321');
  await chooseByKeyboard(page, 'Gemeinde / Ortsteil', 'Musterdorf');
  await fill('Straße', 'Lindenweg');
  await fill('Hausnummer von', '3');
  await fill('Hausnummer bis', '5');
  await chooseByKeyboard(page, 'Art der Arbeiten', 'Hausanschluss');
  await fill('Beschreibung', 'Wasser-Hausanschluss durch den Grünstreifen');
  // Green verge and no traffic restriction: no traffic order is needed, so
  // all three tasks are the Tiefbau department's.
  await page.getByRole('radio', { name: 'Grünfläche' }).first().check();
  await fill('Länge in m', '4');
  await fill('Breite in m', '0.5');
  await fill('Tiefe in m', '1');
  await page.getByRole('textbox', { name: 'Beginn', exact: true }).fill('2027-07-05');
  await page.getByRole('textbox', { name: 'Ende', exact: true }).fill('2027-07-07');
  await page.getByRole('radio', { name: 'Keine' }).check();
  await page.locator('input[type="file"]').first().setInputFiles({ name: 'lageplan.pdf', mimeType: 'application/pdf', buffer: pdf('Lageplan Lindenweg 3-5') });
  await page.getByRole('checkbox', { name: /Ich versichere/ }).check();
  await noAxeViolations(page);
  await shot(page, 'citizen-form');
  await page.getByRole('button', { name: 'Weiter zur Prüfung' }).click();
  await expect(page.locator('#review-heading')).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('dl.review')).toContainText('lageplan.pdf');
  await noAxeViolations(page);
  await shot(page, 'citizen-review');
  await page.getByRole('button', { name: 'Antrag verbindlich absenden' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Antrag eingegangen');
  const code = ((await page.locator('#tracking-code').textContent()) ?? '').trim();
  expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  const postfachLink = page.getByRole('link', { name: 'Zum Postfach (Nachrichten der Verwaltung)' });
  await expect(postfachLink).toHaveAttribute('href', new RegExp(`/amt-musterland/postfach/${code}\\?key=.+`));
  await noAxeViolations(page);
  await shot(page, 'citizen-receipt');
  return { code, postfach: (await postfachLink.getAttribute('href')) ?? '' };
}

// Fetches a link's target in the page (with the session cookie, which the
// browser keeps) and returns its status and first five bytes.
async function download(page: Page, href: string): Promise<{ status: number; head: string }> {
  return page.evaluate(async (url) => {
    const r = await fetch(url, { credentials: 'same-origin' });
    const bytes = new Uint8Array(await r.arrayBuffer()).subarray(0, 5);
    return { status: r.status, head: String.fromCharCode(...bytes) };
  }, href);
}

async function staffPage(browser: Browser) {
  const ctx = await browser.newContext({ baseURL, locale: 'de-DE', viewport: { width: 1280, height: 900 } });
  return ctx.newPage();
}

// Completes the open task of the case view named `task` after claiming it;
// `answer` fills its form.
async function work(page: Page, task: string, answer: (panel: ReturnType<Page['locator']>) => Promise<void>, name: string, login = 'bau') {
  const panel = page.locator('.task-panel', { has: page.getByRole('heading', { name: task, level: 3 }) });
  await expect(async () => {
    if (!(await panel.isVisible())) await page.reload();
    await expect(panel).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await panel.getByRole('button', { name: 'Übernehmen' }).click();
  await expect(page.locator('#case-announce')).toHaveText('Sie bearbeiten jetzt diese Aufgabe.');
  await expect(panel.locator('.task-assignee')).toHaveText(login);
  await answer(panel);
  await noAxeViolations(page);
  await shot(page, name);
  await panel.getByRole('button', { name: 'Aufgabe abschließen' }).click();
  await expect(page.locator('#case-announce')).toContainText('Die Aufgabe wurde abgeschlossen.');
}

test('the whole story: a citizen applies on a phone, a case worker decides, the Bescheid reaches the postbox', async ({ browser }) => {
  test.setTimeout(300_000);
  const password = process.env['AMTSWEG_E2E_BAU_PASSWORD'];
  expect(password, 'scripts/test.sh passes the demo password of "bau"').toBeTruthy();

  // 1. The citizen, on a phone.
  const citizenCtx = await browser.newContext({ ...pixel5, baseURL, locale: 'de-DE' });
  const citizen = await citizenCtx.newPage();
  const { code, postfach } = await citizenFiles(citizen);

  // 2. The case worker of Tiefbau signs in and finds the case in her inbox.
  const staff = await staffPage(browser);
  await signIn(staff, 'bau', password);
  await expect(staff.getByRole('heading', { level: 1 })).toHaveText('Posteingang');
  await staff.getByRole('button', { name: 'Nicht zugewiesen' }).click();
  await staff.getByLabel('Leistung').selectOption('musterland-aufgrabegenehmigung');
  // The search box finds the case by the firm's name too.
  await staff.getByLabel('Vorgänge durchsuchen').fill('Stadtwerke Lindenweg');
  await staff.getByRole('button', { name: 'Suchen' }).click();
  await expect(staff.locator('.search-results li').first()).toBeVisible({ timeout: 15_000 });
  // The text filter narrows the loaded rows to this application (its tracking code).
  await staff.getByLabel('Filtern').fill(code);
  await expect(staff.locator('#inbox tbody tr')).toHaveCount(1);
  const row = staff.locator('#inbox tbody tr').first();
  await expect(row).toContainText('Vollständigkeit prüfen');
  await expect(row).toContainText('Aufgrabegenehmigung');
  const caseNumber = (await row.getAttribute('data-case')) ?? '';
  expect(caseNumber).toMatch(/^\d{4}-\d{6}$/);
  await noAxeViolations(staff);
  await shot(staff, 'staff-inbox');

  // 3. The case view: facts, the citizen's site plan, the data.
  await row.getByRole('link', { name: `Vorgang ${caseNumber} öffnen` }).click();
  await expect(staff.getByRole('heading', { level: 1 })).toHaveText(`Vorgang ${caseNumber}`);
  await expect(staff.locator('#case-facts')).toContainText('Aufgrabegenehmigung');
  await expect(staff.locator('#case-facts')).toContainText(code);
  await expect(staff.locator('#case-documents')).toContainText('lageplan.pdf');
  await expect(staff.locator('#case-data')).toContainText('Lindenweg');
  const plan = staff.getByRole('link', { name: 'lageplan.pdf herunterladen' });
  expect(await download(staff, (await plan.getAttribute('href')) ?? '')).toEqual({ status: 200, head: '%PDF-' });
  await noAxeViolations(staff);
  await shot(staff, 'staff-case');

  // The site plan in the preview, without leaving the case: a modal dialog
  // with a title, the PDF in a frame and the download as the fallback;
  // Escape closes it and the focus goes back to the button.
  const previewButton = staff.getByRole('button', { name: 'Vorschau von lageplan.pdf' });
  await previewButton.click();
  const dialog = staff.getByRole('dialog', { name: 'Vorschau: lageplan.pdf' });
  await expect(dialog).toBeVisible();
  const frame = dialog.locator('iframe[title="Vorschau: lageplan.pdf"]');
  await expect(frame).toHaveAttribute('src', /disposition=inline/);
  const inline = await staff.evaluate(async (url) => {
    const r = await fetch(url, { credentials: 'same-origin' });
    return { status: r.status, disposition: r.headers.get('content-disposition') ?? '', frame: r.headers.get('x-frame-options') };
  }, (await frame.getAttribute('src')) ?? '');
  expect(inline.status).toBe(200);
  expect(inline.disposition).toMatch(/^inline;/);
  expect(inline.frame).toBe('SAMEORIGIN');
  await expect(dialog.getByRole('link', { name: 'lageplan.pdf herunterladen' })).toBeVisible();
  await noAxeViolations(staff);
  await shot(staff, 'staff-preview');
  await staff.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(previewButton).toBeFocused();

  // A corrected site plan as version 2 of the citizen's document.
  await staff.locator('#doc-file').setInputFiles({ name: 'lageplan-korrigiert.pdf', mimeType: 'application/pdf', buffer: pdf('Lageplan Lindenweg 3-5, korrigiert') });
  await staff.getByLabel('Als neue Version von').selectOption({ label: 'lageplan.pdf (Version 1)' });
  await staff.getByRole('button', { name: 'Dokument hochladen' }).click();
  await expect(staff.locator('#case-announce')).toHaveText('lageplan-korrigiert.pdf ist jetzt Version 2 von „lageplan.pdf“.');
  await expect(staff.locator('#case-documents tbody tr', { hasText: 'lageplan' })).toHaveCount(1);
  await expect(staff.locator('#case-documents tbody tr', { hasText: 'lageplan' }).locator('td').nth(1)).toHaveText('2');

  // A note for the file.
  await staff.getByLabel('Neue Notiz').fill('Leitungsauskunft der Stadtwerke liegt vor.');
  await staff.getByRole('button', { name: 'Notiz speichern' }).click();
  await expect(staff.locator('#case-notes')).toContainText('Leitungsauskunft');

  // 4. Three tasks with their forms; the decision grants the permit.
  await work(staff, 'Vollständigkeit prüfen', async (p) => {
    await p.getByRole('radio', { name: 'Ja', exact: true }).check();
  }, 'staff-task-complete');
  await work(staff, 'Technische Prüfung (Tiefbau)', async (p) => {
    await p.getByLabel(/Technische Auflagen/).fill('Wiederherstellung des Grünstreifens mit Oberboden und Rasensaat.');
  }, 'staff-task-technik');
  await work(staff, 'Entscheiden', async (p) => {
    await p.getByRole('radio', { name: 'Genehmigen' }).check();
    // The reasons of a refusal are not asked for a grant.
    await expect(p.getByLabel('Begründung')).toHaveCount(0);
    // Before deciding: the Bescheid this decision sends, rendered, not stored. The process
    // names it: the server follows the model from this task with the form's values.
    await expect(p.getByLabel('Vorlage des Bescheids')).toHaveValue('genehmigung');
    await expect(p.getByText('Mit diesen Angaben sendet der Prozess: Aufgrabegenehmigung')).toBeVisible();
    await p.getByRole('radio', { name: 'Ablehnen' }).check();
    await expect(p.getByLabel('Vorlage des Bescheids')).toHaveValue('ablehnung');
    await p.getByRole('radio', { name: 'Genehmigen' }).check();
    await expect(p.getByLabel('Vorlage des Bescheids')).toHaveValue('genehmigung');
    await p.getByRole('button', { name: 'Bescheid-Vorschau anzeigen' }).click();
    const bescheidDialog = staff.getByRole('dialog', { name: 'Vorschau: Aufgrabegenehmigung' });
    await expect(bescheidDialog).toBeVisible({ timeout: 15_000 });
    const src = (await bescheidDialog.locator('iframe').getAttribute('src')) ?? '';
    expect(src).toMatch(/\/bescheid-preview\/[^/]+$/);
    expect(await download(staff, src)).toEqual({ status: 200, head: '%PDF-' });
    // The frame may show it: same-origin framing allowed for this answer.
    const headers = await staff.evaluate(async (url) => {
      const r = await fetch(url, { credentials: 'same-origin' });
      return { frame: r.headers.get('x-frame-options'), csp: r.headers.get('content-security-policy') ?? '' };
    }, src);
    expect(headers.frame).toBe('SAMEORIGIN');
    expect(headers.csp).toContain("frame-ancestors 'self'");
    await noAxeViolations(staff);
    await shot(staff, 'staff-bescheid-preview');
    await staff.keyboard.press('Escape');
    await expect(bescheidDialog).toBeHidden();
    await expect(staff.locator('#case-documents')).not.toContainText('bescheid');
  }, 'staff-task-decide');
  await expect(staff.getByText('Keine offenen Aufgaben.')).toBeVisible();

  // 5. The worker in serve writes the Bescheid into the file and the postbox.
  await expect(async () => {
    await staff.reload();
    await expect(staff.locator('#case-documents')).toContainText('bescheid-genehmigung', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(staff.locator('section', { has: staff.getByRole('heading', { name: 'Nachrichten', level: 2 }) }).locator('.thread')).toContainText('.pdf');
  await noAxeViolations(staff);
  await shot(staff, 'staff-bescheid');

  // 6. The citizen: the new status — decided, the permit waits for the
  // completion notice, so the process goes on — with the date of each step,
  // and from there the postbox with the Bescheid.
  await citizen.goto(`/amt-musterland/status/${code}`);
  await expect(citizen.locator('#submission-status dd[data-stage]')).toHaveAttribute('data-stage', 'decided');
  await expect(citizen.locator('#submission-status')).toContainText('Entschieden – Bescheid versandt');
  const today = new Date().toLocaleDateString('de-DE');
  const stages = citizen.locator('#submission-stages > li');
  await expect(stages).toHaveCount(4);
  await expect(stages.nth(0)).toHaveAttribute('data-state', 'done');
  await expect(stages.nth(1)).toContainText(`erledigt am ${today}`);
  await expect(stages.nth(2)).toHaveAttribute('aria-current', 'step');
  await expect(stages.nth(2)).toContainText(`aktueller Stand am ${today}`);
  await expect(stages.nth(3)).toHaveAttribute('data-state', 'upcoming');
  // Nothing internal: not the case worker, not the note.
  await expect(citizen.locator('main')).not.toContainText(/Berta|Tiefbau|Leitungsauskunft|Technische Prüfung/);
  await expect(citizen.locator('#status-postbox')).toContainText('Den Bescheid finden Sie in Ihrem Postfach.');
  await noAxeViolations(citizen);
  await shot(citizen, 'citizen-status');
  await citizen.locator('#status-postbox').getByRole('link', { name: 'Zum Postfach (Nachrichten der Verwaltung)' }).click();
  await expect(citizen.getByRole('heading', { level: 1 })).toHaveText(`Postfach zum Vorgang ${code}`);
  expect(new URL(citizen.url()).pathname + new URL(citizen.url()).search).toBe(postfach);
  const bescheid = citizen.locator('.thread > li', { hasText: /bescheid-genehmigung-.*\.pdf/ });
  await expect(bescheid).toBeVisible();
  const link = bescheid.getByRole('link', { name: /bescheid-genehmigung-.*\.pdf herunterladen/ });
  const file = await citizen.request.get((await link.getAttribute('href')) ?? '');
  expect(file.status()).toBe(200);
  expect(file.headers()['content-type']).toContain('application/pdf');
  expect((await file.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  await noAxeViolations(citizen);
  await shot(citizen, 'citizen-postfach');
  // Shown is read: the office sees the read mark.
  await expect(async () => {
    const r = await citizen.request.get(`/api/v1/postfach/${code}/messages`, { headers: { 'X-Postfach-Key': new URL(postfach, baseURL).searchParams.get('key') ?? '' } });
    const items = ((await r.json()) as { items: { direction: string; readByCitizenAt: string | null }[] }).items;
    expect(items.filter((m) => m.direction === 'toCitizen').every((m) => m.readByCitizenAt)).toBe(true);
  }).toPass({ timeout: 10_000 });

  // The citizen replies with a file; the reply is in the thread.
  await citizen.getByLabel('Nachricht', { exact: true }).fill('Danke, anbei der Bauzeitenplan; wir beginnen wie beantragt.');
  await citizen.locator('#reply-file').setInputFiles({ name: 'bauzeitenplan.pdf', mimeType: 'application/pdf', buffer: pdf('Bauzeitenplan') });
  await citizen.getByRole('button', { name: 'Antworten' }).click();
  await expect(citizen.locator('#postfach-announce')).toHaveText('Ihre Antwort wurde gesendet.');
  await expect(citizen.locator('.thread > li[data-direction="toOffice"]')).toContainText('bauzeitenplan.pdf');
  await noAxeViolations(citizen);
  await shot(citizen, 'citizen-reply');

  // 7. The office sees the reply in the case view.
  await staff.reload();
  await expect(staff.locator('.thread > li[data-direction="toOffice"]')).toContainText('Bauzeitenplan');
  await shot(staff, 'staff-reply');
  // The case view in English.
  await staff.getByRole('button', { name: 'English' }).click();
  await expect(staff.getByRole('heading', { level: 1 })).toHaveText(`Case ${caseNumber}`);
  await expect(staff.getByRole('heading', { name: 'Documents', level: 2 })).toBeVisible();
  await expect(staff.locator('#case-timeline caption')).toHaveText('Timeline of the case, oldest first');
  await noAxeViolations(staff);
  await shot(staff, 'staff-case-english');
  await citizenCtx.close();
  await staff.context().close();
});

test('the postbox with a wrong key says so and shows nothing', async ({ page }) => {
  const r = await page.request.post('/api/v1/services/musterland-plakatierung/submissions', {
    data: plakatierungAntrag({ name: 'Heimatverein Musterdorf e. V.', strasse: 'Dorfstraße 3', email: 'vorstand@heimatverein.example', veranstaltung: 'Hoffest', verantwortlich: 'Jürgen Jäger' }),
  });
  expect(r.status()).toBe(201);
  const { trackingCode } = (await r.json()) as { trackingCode: string };
  await page.goto(`/amt-musterland/postfach/${trackingCode}?key=wrong`);
  await expect(page.getByRole('alert')).toContainText('Dieses Postfach gibt es nicht');
  await expect(page.locator('main')).not.toContainText('Heimatverein');
  await noAxeViolations(page);
});


test('a refusal ends the case: the citizen sees it completed, every step dated', async ({ browser, request }) => {
  test.setTimeout(180_000);
  const password = process.env['AMTSWEG_E2E_ORDNUNG_PASSWORD'];
  expect(password, 'scripts/test.sh passes the demo password of "ordnung"').toBeTruthy();
  const r = await request.post('/api/v1/services/musterland-plakatierung/submissions', {
    data: plakatierungAntrag({ name: 'Zirkus Sonnenschein GmbH', strasse: 'Festplatz 1', email: 'buero@zirkus.example', veranstaltung: 'Gastspiel', verantwortlich: 'Sonja Sonnenschein', zeitraum: { von: '2027-06-01', bis: '2027-06-20' }, anzahl: 40, groesse: 'A0' }),
  });
  expect(r.status()).toBe(201);
  const { trackingCode } = (await r.json()) as { trackingCode: string };

  const staff = await staffPage(browser);
  await signIn(staff, 'ordnung', password);
  await expect(staff.getByRole('heading', { level: 1 })).toHaveText('Posteingang');
  await staff.getByRole('button', { name: 'Nicht zugewiesen' }).click();
  await staff.getByLabel('Filtern').fill(trackingCode);
  await expect(staff.locator('#inbox tbody tr')).toHaveCount(1, { timeout: 15_000 });
  const caseNumber = (await staff.locator('#inbox tbody tr').first().getAttribute('data-case')) ?? '';
  await staff.getByRole('link', { name: `Vorgang ${caseNumber} öffnen` }).click();
  await expect(staff.getByRole('heading', { level: 1 })).toHaveText(`Vorgang ${caseNumber}`);

  await work(staff, 'Antrag prüfen', async (p) => {
    await p.getByRole('radio', { name: 'Ablehnen' }).check();
    // form-js's own check speaks German: the reasons are required.
    await p.getByRole('button', { name: 'Aufgabe abschließen' }).click();
    await expect(p.locator('.fjs-form-field-error').first()).toHaveText('Bitte füllen Sie dieses Pflichtfeld aus.');
    await expect(p).not.toContainText('Field is required');
    // In English, form-js's own text (the form is shown anew, the choice gone).
    await staff.getByRole('button', { name: 'English' }).click();
    const english = staff.locator('.task-panel', { has: staff.getByRole('heading', { name: 'Antrag prüfen', level: 3 }) });
    await english.getByRole('button', { name: 'Complete task' }).click();
    await expect(english.locator('.fjs-form-field-error').first()).toHaveText('Field is required.');
    await staff.getByRole('button', { name: 'Deutsch' }).click();
    await expect(p.getByRole('button', { name: 'Aufgabe abschließen' })).toBeVisible();
    await p.getByRole('radio', { name: 'Ablehnen' }).check();
    // The preview suggests the refusal.
    await expect(p.getByLabel('Vorlage des Bescheids')).toHaveValue('ablehnung');
    await p.getByLabel('Begründung').fill('Plakate der Größe A0 sind an Ortsdurchfahrten nicht zulässig.');
  }, 'refusal-decide', 'ordnung');
  await expect(async () => {
    await staff.reload();
    await expect(staff.locator('#case-documents')).toContainText('bescheid-ablehnung', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await staff.context().close();

  // The citizen (no receipt in this browser): completed, each step dated,
  // and where the Bescheid is.
  const citizenCtx = await browser.newContext({ baseURL, locale: 'de-DE' });
  const citizen = await citizenCtx.newPage();
  await citizen.goto(`/amt-musterland/status/${trackingCode}`);
  await expect(citizen.locator('#submission-status dd[data-stage]')).toHaveAttribute('data-stage', 'completed');
  const stages = citizen.locator('#submission-stages > li');
  await expect(stages).toHaveCount(4);
  for (let i = 0; i < 3; i++) await expect(stages.nth(i)).toHaveAttribute('data-state', 'done');
  await expect(stages.nth(3)).toHaveAttribute('aria-current', 'step');
  await expect(stages.nth(3)).toContainText(`aktueller Stand am ${new Date().toLocaleDateString('de-DE')}`);
  await expect(citizen.locator('#status-postbox')).toContainText('Den Bescheid finden Sie in Ihrem Postfach.');
  await expect(citizen.locator('#status-postbox')).toContainText('mit dem Link aus Ihrer Eingangsbestätigung');
  await expect(citizen.locator('main')).not.toContainText(/Olaf|Zirkus|Sonnenschein/);
  await noAxeViolations(citizen);
  await shot(citizen, 'refusal-citizen-status');
  await citizenCtx.close();
});

test('a manager takes over a task a case worker holds, after confirming', async ({ browser, request }) => {
  test.setTimeout(120_000);
  const ordnungPassword = process.env['AMTSWEG_E2E_ORDNUNG_PASSWORD'];
  const leitungPassword = process.env['AMTSWEG_E2E_LEITUNG_PASSWORD'];
  expect(ordnungPassword && leitungPassword, 'scripts/test.sh passes the demo passwords').toBeTruthy();
  const r = await request.post('/api/v1/services/musterland-plakatierung/submissions', {
    data: plakatierungAntrag({ name: 'Sportverein Musterdorf', strasse: 'Sportplatz 2', email: 'sv@musterdorf.example', veranstaltung: 'Sportfest', verantwortlich: 'Tim Trainer', zeitraum: { von: '2027-08-01', bis: '2027-08-10' }, anzahl: 10 }),
  });
  expect(r.status()).toBe(201);
  const { trackingCode } = (await r.json()) as { trackingCode: string };
  const signInAs = async (login: string, password: string) => {
    const page = await staffPage(browser);
    await signIn(page, login, password);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Posteingang');
    return page;
  };
  // Olaf Ordnung claims the check.
  const olaf = await signInAs('ordnung', ordnungPassword ?? '');
  await olaf.getByRole('button', { name: 'Nicht zugewiesen' }).click();
  await olaf.getByLabel('Filtern').fill(trackingCode);
  await expect(olaf.locator('#inbox tbody tr')).toHaveCount(1, { timeout: 15_000 });
  const caseNumber = (await olaf.locator('#inbox tbody tr').first().getAttribute('data-case')) ?? '';
  await olaf.getByRole('link', { name: `Vorgang ${caseNumber} öffnen` }).click();
  const caseUrl = olaf.url();
  const panel = (p: Page) => p.locator('.task-panel', { has: p.getByRole('heading', { name: 'Antrag prüfen', level: 3 }) });
  await panel(olaf).getByRole('button', { name: 'Übernehmen' }).click();
  await expect(panel(olaf).locator('.task-assignee')).toHaveText('ordnung');
  await olaf.context().close();

  // Lena Leitung (manager) takes it over: a confirmation names the holder first.
  const lena = await signInAs('leitung', leitungPassword ?? '');
  await lena.goto(caseUrl);
  await expect(panel(lena).locator('.task-assignee')).toHaveText('ordnung');
  await panel(lena).getByRole('button', { name: 'Aufgabe übernehmen' }).click();
  const confirm = panel(lena).locator('.take-over-confirm');
  await expect(confirm).toContainText('ordnung bearbeitet diese Aufgabe. Wollen Sie sie wirklich übernehmen?');
  await expect(confirm.locator('p')).toBeFocused();
  await noAxeViolations(lena);
  await confirm.getByRole('button', { name: 'Abbrechen' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(panel(lena).locator('.task-assignee')).toHaveText('ordnung');
  await panel(lena).getByRole('button', { name: 'Aufgabe übernehmen' }).click();
  await panel(lena).getByRole('button', { name: 'Ja, übernehmen' }).click();
  await expect(lena.locator('#case-announce')).toHaveText('Sie haben die Aufgabe von ordnung übernommen.');
  await expect(panel(lena).locator('.task-assignee')).toHaveText('leitung');
  await lena.context().close();
});
