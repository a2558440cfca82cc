import { defineConfig } from '@playwright/test';

// Browser tests run against a real `amtsweg serve` that scripts/test.sh starts
// (AMTSWEG_E2E_URL). The browser is Debian's chromium: nothing is downloaded.
const baseURL = process.env['AMTSWEG_E2E_URL'] ?? 'http://127.0.0.1:8080';

export default defineConfig({
  testDir: 'e2e',
  timeout: 30_000,
  retries: 0,
  workers: 1,
  reporter: [['list'], ['json', { outputFile: process.env['AMTSWEG_E2E_JSON'] ?? 'test-results/e2e.json' }]],
  use: {
    baseURL,
    locale: 'de-DE',
    launchOptions: {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
