import { expect, type Page } from '@playwright/test';

// Chooses `option` in a form-js searchable select the way a keyboard user
// does: focus opens the list, typing filters it, Enter takes the highlighted
// (first) option. On a busy machine the list filters a moment after the keys,
// and an early Enter takes nothing: wait until the option is listed. (An Enter
// before typing would take the list's first option, whatever it is.)
export async function chooseByKeyboard(page: Page, label: string, option: string) {
  const field = page.getByRole('textbox', { name: label });
  await field.focus();
  await page.keyboard.type(option);
  await expect(page.locator('.fjs-dropdownlist-item', { hasText: option }).first()).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(field).toHaveValue(option);
}
