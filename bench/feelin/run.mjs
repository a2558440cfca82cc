// node run.mjs CASES.json MILLISECONDS
// For each case: a warm-up, then as many feelin evaluations as fit in the time;
// prints "name evals_per_s" per case. feelin parses on every call (its public
// API has no parse-once form), so this is its only mode.
import { readFileSync } from 'node:fs';
import { evaluate, unaryTest } from 'feelin';

const [casesFile, msText] = process.argv.slice(2);
const ms = Number(msText ?? 1000);
const { cases } = JSON.parse(readFileSync(casesFile, 'utf8'));

function once(c) {
  if (c.kind === 'unary') return unaryTest(c.expr, { '?': c.input });
  return evaluate(c.expr, c.vars);
}

let sink = 0;
for (const c of cases) {
  const first = once(c);  // must not throw: a broken case is no benchmark
  const value = first && typeof first === 'object' && 'value' in first ? first.value : first;
  if (value === null || value === undefined) {
    console.error(`feelin: case ${c.name} gave ${JSON.stringify(first)}`);
  }
  for (let i = 0; i < 200; i++) once(c);
  let n = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 50; i++) { if (once(c)) sink++; }
    n += 50;
    now = process.hrtime.bigint();
  }
  const seconds = Number(now - start) / 1e9;
  console.log(`${c.name} ${(n / seconds).toFixed(0)}`);
}
if (sink < 0) console.log(sink);
