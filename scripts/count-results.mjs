// Counts test results from GoogleTest JSON (--gtest_output=json) and Playwright
// JSON reports and Vitest's JSON. Usage: node count-results.mjs gtest|playwright|vitest FILE
// Prints "passed failed skipped" and, on stderr, the names of failed tests.
import { readFileSync } from 'node:fs';

const [kind, file] = process.argv.slice(2);
const report = JSON.parse(readFileSync(file, 'utf8'));
let passed = 0, failed = 0, skipped = 0;
const failures = [];

if (kind === 'gtest') {
  for (const suite of report.testsuites ?? []) {
    for (const tc of suite.testsuite ?? []) {
      const name = `${suite.name}.${tc.name}`;
      if (tc.failures && tc.failures.length > 0) { failed++; failures.push(name); }
      else if (tc.result === 'SKIPPED' || tc.status === 'NOTRUN') skipped++;
      else if (tc.result === 'COMPLETED') passed++;
      else { failed++; failures.push(`${name} (${tc.result})`); }
    }
  }
} else if (kind === 'playwright') {
  const walk = (suite, prefix) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        const name = `${prefix}${spec.title}`;
        const status = test.status;  // expected | unexpected | flaky | skipped
        if (status === 'skipped') skipped++;
        else if (status === 'expected' || status === 'flaky') passed++;
        else { failed++; failures.push(name); }
      }
    }
    for (const child of suite.suites ?? []) walk(child, `${prefix}${child.title} › `);
  };
  for (const suite of report.suites ?? []) walk(suite, `${suite.title} › `);
  for (const err of report.errors ?? []) { failed++; failures.push(`error: ${err.message ?? err}`); }
} else if (kind === 'vitest') {
  // Jest-compatible JSON of `vitest run --reporter=json`.
  for (const file of report.testResults ?? []) {
    for (const a of file.assertionResults ?? []) {
      if (a.status === 'passed') passed++;
      else if (a.status === 'failed') { failed++; failures.push(a.fullName ?? a.title); }
      else skipped++;  // pending | skipped | todo
    }
    if ((file.assertionResults ?? []).length === 0 && file.status === 'failed') {
      failed++; failures.push(`${file.name}: ${file.message ?? 'failed to load'}`);
    }
  }
} else {
  console.error(`unknown report kind ${kind}`);
  process.exit(2);
}
for (const f of failures) console.error(`  FAILED ${f}`);
console.log(`${passed} ${failed} ${skipped}`);
