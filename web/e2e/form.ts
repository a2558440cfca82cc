import { expect, type Page } from '@playwright/test';

// Chooses `option` in a form-js searchable select the way a keyboard user
// does: focus opens the list, typing filters it, Enter takes the highlighted
// (first) option, Tab leaves the field, which then shows the chosen option.
// form-js re-binds its Enter handler in an effect after each render, so an
// Enter right after the filtered list appears can reach the handler of the
// render before and take nothing: wait a frame for effects to run, check the
// choice after leaving the field, and try again if it did not take.
export async function chooseByKeyboard(page: Page, label: string, option: string) {
  const field = page.getByRole('textbox', { name: label });
  await expect(async () => {
    await field.focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(option);
    await expect(page.locator('.fjs-dropdownlist-item', { hasText: option }).first()).toBeVisible({ timeout: 2_000 });
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0))));
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await expect(field).toHaveValue(option, { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
}
