import { devices, expect, test, type Page } from '@playwright/test';
import { noAxeViolations } from './axe';
import { chooseByKeyboard } from './form';

// Issue 8's citizen story on a phone: a firm applies to Amt Musterland for an
// Aufgrabegenehmigung (street excavation permit) — keyboard only for the
// answers, a site plan (PDF) attached, the validation errors announced, the
// receipt with its tracking code and PDF, and the status by tracking code.
// scripts/test.sh seeds the demo municipality before the server starts.

// Pixel 5 size and touch (Debian's chromium from playwright.config.ts).
const { defaultBrowserType: _ignored, ...pixel5 } = devices['Pixel 5'];
test.use({ ...pixel5, locale: 'de-DE', actionTimeout: 30_000, navigationTimeout: 30_000 });

// Nothing wider than the viewport (WCAG 1.4.10 reflow at 320-400 px).
async function noHorizontalScrolling(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

// A small, well-formed one-page PDF (generated here, no fixture file).
function sitePlanPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    '',  // the content stream, below
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const text = 'BT /F1 18 Tf 72 760 Td (Lageplan Dorfstrasse 12, Musterdorf) Tj ET';
  objects[3] = `<< /Length ${text.length} >>\nstream\n${text}\nendstream`;
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) pdf += `${String(off).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

// Types into a field the way a keyboard user does: focus, then keys.
async function type(page: Page, label: string, text: string) {
  const field = page.getByRole('textbox', { name: label, exact: true });
  await field.focus();
  await page.keyboard.type(text);
}

test('a citizen on a phone applies for an Aufgrabegenehmigung with a site plan and follows it up', async ({ page }) => {
  // Typed key by key into ~25 fields: longer than the default 30 s on a busy machine.
  test.setTimeout(300_000);
  await page.goto('/');
  await noHorizontalScrolling(page);
  await page.getByRole('link', { name: 'Amt Musterland' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Online-Dienste: Amt Musterland');
  await page.getByRole('link', { name: 'Aufgrabegenehmigung' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Aufgrabegenehmigung');
  await expect(page.locator('.facts')).toContainText('ZTV A-StB 12');
  await noAxeViolations(page);
  await noHorizontalScrolling(page);

  await page.getByRole('link', { name: 'Antrag stellen' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Antrag: Aufgrabegenehmigung');
  await expect(page.getByLabel('Firma oder Name')).toBeVisible();
  await noAxeViolations(page);
  await noHorizontalScrolling(page);

  // Going on with required fields empty: the error summary is an alert (read
  // out by screen readers), takes the focus and links to the fields.
  await page.getByRole('button', { name: 'Weiter zur Prüfung' }).focus();
  await page.keyboard.press('Enter');
  const summary = page.locator('.error-summary');
  await expect(summary).toBeFocused();
  await expect(summary).toHaveAttribute('role', 'alert');
  await expect(summary.getByRole('link', { name: /Firma oder Name/ })).toBeVisible();
  await noAxeViolations(page);
  // The summary's link leads to the field.
  await summary.getByRole('link', { name: /Firma oder Name/ }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Firma oder Name')).toBeFocused();

  // The answers, by keyboard.
  await page.keyboard.type('Stadtwerke Musterdorf GmbH');
  await type(page, 'Ansprechperson', 'Jürgen Jäger');
  await type(page, 'Straße und Hausnummer', 'Hafenstraße 7');
  await type(page, 'Postleitzahl', '24999');
  await type(page, 'Ort', 'Musterdorf');
  await type(page, 'E-Mail', 'netzbau@stadtwerke.example');
  await type(page, 'Telefon', '+49 4600 777');
  await type(page, 'Firma', 'Tiefbau Nord GmbH');
  await type(page, 'Bauleitung (Name)', 'Grete Öztürk');
  await type(page, 'Telefon der Bauleitung (jederzeit erreichbar)', '+49 170 7654321');
  await chooseByKeyboard(page, 'Gemeinde / Ortsteil', 'Musterdorf');
  await type(page, 'Straße', 'Dorfstraße');
  await type(page, 'Hausnummer von', '10');
  await type(page, 'Hausnummer bis', '14');
  await chooseByKeyboard(page, 'Art der Arbeiten', 'Hausanschluss');
  await type(page, 'Beschreibung', 'Gas-Hausanschluss Nr. 12');
  await page.getByRole('radio', { name: 'Gehweg' }).first().focus();
  await page.keyboard.press('Space');
  await type(page, 'Länge in m', '6');
  await type(page, 'Breite in m', '0.6');
  await type(page, 'Tiefe in m', '1.2');
  // On a phone the date picker is the browser's own date field (named by the
  // portal after its label); headless chromium takes no typed keys there, so
  // its value is set as the native picker would.
  await page.getByRole('textbox', { name: 'Beginn', exact: true }).fill('2027-06-01');
  await page.getByRole('textbox', { name: 'Ende', exact: true }).fill('2027-06-04');
  await page.getByRole('radio', { name: 'Keine' }).focus();
  await page.keyboard.press('Space');
  // The site plan: a file chooser cannot be driven by keys in a headless
  // browser, so the file is set on the (labelled) input.
  await page.locator('input[type="file"]').first().setInputFiles({ name: 'lageplan.pdf', mimeType: 'application/pdf', buffer: sitePlanPdf() });
  await page.getByRole('checkbox', { name: /Ich versichere/ }).focus();
  await page.keyboard.press('Space');

  await page.getByRole('button', { name: 'Weiter zur Prüfung' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('#review-heading')).toBeVisible();
  await expect(page.locator('.error-summary')).toHaveCount(0);
  const review = page.locator('dl.review');
  await expect(review).toContainText('Stadtwerke Musterdorf GmbH');
  await expect(review).toContainText('lageplan.pdf');
  await noAxeViolations(page);
  await noHorizontalScrolling(page);

  await page.getByRole('button', { name: 'Antrag verbindlich absenden' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Antrag eingegangen');
  const code = (await page.locator('#tracking-code').textContent()) ?? '';
  expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  await expect(page.locator('main')).toContainText(/Aktenzeichen|Vorgang|\d{4}-\d{6}/);
  await noAxeViolations(page);
  await noHorizontalScrolling(page);

  // The receipt PDF: the link downloads (download attribute) the PDF behind
  // the receipt key; headless chromium fires no download event for a PDF
  // link, so the same URL is fetched with the page's cookies.
  const link = page.getByRole('link', { name: 'Eingangsbestätigung herunterladen (PDF)' });
  await expect(link).toHaveAttribute('download', /.*/);
  const href = (await link.getAttribute('href')) ?? '';
  expect(href).toContain(`/api/v1/submissions/${code}/receipt.pdf?key=`);
  const receipt = await page.request.get(href);
  expect(receipt.status()).toBe(200);
  expect(receipt.headers()['content-type']).toBe('application/pdf');
  const pdf = await receipt.body();
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdf.length).toBeGreaterThan(1000);

  // The status by tracking code: received, no personal data.
  await page.getByRole('link', { name: 'Stand anzeigen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(code);
  await expect(page.locator('#submission-status dd[data-stage]')).toHaveAttribute('data-stage', 'received');
  await expect(page.locator('#submission-status')).toContainText('Aufgrabegenehmigung');
  await expect(page.locator('main')).not.toContainText('Stadtwerke');
  await expect(page.locator('main')).not.toContainText('Jäger');
  await noAxeViolations(page);
  await noHorizontalScrolling(page);
});
