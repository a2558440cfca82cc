import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

// Every page passes axe-core's WCAG 2.1 AA rules (BITV 2.0) with no violation;
// a failure names each rule and the elements that break it.
export async function noAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}
