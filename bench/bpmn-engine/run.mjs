// node --expose-gc run.mjs SECONDS_PER_RUN [WAITING]
// The two models of `amtsweg bench engine` in bpmn-engine (everything in
// memory, nothing durable), for a side-by-side figure:
//   engine_service_task  start -> service task (its implementation calls back
//                        at once) -> end
//   engine_xor_feel      start -> exclusive gateway (condition amount > 100 on a
//                        start variable) -> one of two service tasks -> end
// Each model is parsed and serialised once (as Amtsweg compiles a model once);
// every instance is one Engine over that context. Conditions are JavaScript
// compiled once per flow with `new Function` (bpmn-engine's default script
// runner makes a new vm context per evaluation: the compiled form is the
// fairer peer of a FEEL condition compiled once).
// Prints one JSON object per line:
//   {"name":..., "instances":N, "runs":R, "ops_per_s":median}
//   {"name":"waiting_user_task", "instances":W, "heap_bytes_per_instance":...}
//   (first a line {"name":"version", ...})
import { readFileSync } from 'node:fs';
import { Engine } from 'bpmn-engine';
import { getSourceContext } from './context.mjs';

const secondsPerRun = Number(process.argv[2] ?? 3);
const waiting = Number(process.argv[3] ?? 10000);
const runs = 3;
// Instances in flight at once. Everything runs on one thread and in memory,
// so more in flight only costs memory (16 was the fastest of 1/16/256/2048).
const window = 16;

const serviceModel = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="bench" targetNamespace="http://amtsweg.de/bench">
  <bpmn:process id="bench_service" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:serviceTask id="work" implementation="\${environment.services.bench}"/>
    <bpmn:endEvent id="end"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work"/>
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>`;

const xorModel = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="bench2" targetNamespace="http://amtsweg.de/bench">
  <bpmn:process id="bench_xor" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:exclusiveGateway id="gw" default="f_small"/>
    <bpmn:serviceTask id="big" implementation="\${environment.services.bench}"/>
    <bpmn:serviceTask id="small" implementation="\${environment.services.bench}"/>
    <bpmn:endEvent id="end1"/><bpmn:endEvent id="end2"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="gw"/>
    <bpmn:sequenceFlow id="f_big" sourceRef="gw" targetRef="big"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="javascript">next(null, environment.variables.amount &gt; 100)</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f_small" sourceRef="gw" targetRef="small"/>
    <bpmn:sequenceFlow id="f2" sourceRef="big" targetRef="end1"/>
    <bpmn:sequenceFlow id="f3" sourceRef="small" targetRef="end2"/>
  </bpmn:process>
</bpmn:definitions>`;

const userModel = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="bench3" targetNamespace="http://amtsweg.de/bench">
  <bpmn:process id="bench_user" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="review"/>
    <bpmn:endEvent id="end"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review"/>
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>`;

// Script conditions compiled once per flow (register), run as plain functions.
class CompiledScripts {
  constructor() {
    this.scripts = new Map();
  }
  register({ id, type, behaviour }) {
    if (type !== 'bpmn:SequenceFlow' || !behaviour.conditionExpression) return undefined;
    const fn = new Function('environment', 'content', 'next', behaviour.conditionExpression.body);
    const script = { execute: (scope, next) => fn(scope.environment, scope.content, next) };
    this.scripts.set(id, script);
    return script;
  }
  getScript(language, { id }) {
    return this.scripts.get(id);
  }
}

const services = { bench: (scope, next) => next() };

function startOne(sourceContext, variables) {
  return new Promise((resolve, reject) => {
    const engine = new Engine({ sourceContext, services, scripts: new CompiledScripts(), variables });
    engine.once('end', () => resolve());
    engine.once('error', reject);
    engine.execute().catch(reject);
  });
}

// Starts instances for about `seconds`; completed instances per second.
async function runOnce(sourceContext, seconds) {
  let done = 0;
  let rng = 42;
  const t0 = process.hrtime.bigint();
  const deadline = t0 + BigInt(Math.round(seconds * 1e9));
  const worker = async () => {
    while (process.hrtime.bigint() < deadline) {
      rng = (rng * 1103515245 + 12345) % 2147483648;
      await startOne(sourceContext, { amount: rng % 200 });
      done++;
    }
  };
  await Promise.all(Array.from({ length: window }, worker));
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  return { done, rate: done / secs };
}

async function bench(name, xml) {
  const sourceContext = await getSourceContext(xml);
  await runOnce(sourceContext, secondsPerRun / 5);  // warm-up
  const rates = [];
  let instances = 0;
  for (let i = 0; i < runs; i++) {
    const r = await runOnce(sourceContext, secondsPerRun);
    rates.push(r.rate);
    instances += r.done;
  }
  rates.sort((a, b) => a - b);
  console.log(JSON.stringify({ name, instances, runs, ops_per_s: Math.round(rates[Math.floor(runs / 2)]) }));
}

// Heap per instance parked at a user task: the engines are kept (as a server
// keeps them to signal the task later), the heap is measured after a full GC.
async function parked(n) {
  const sourceContext = await getSourceContext(userModel);
  const gc = globalThis.gc ?? (() => {});
  const keep = [];
  const park = async () => {
    const engine = new Engine({ sourceContext, variables: { applicant: 'Erika Mustermann', amount: 120 } });
    const execution = await engine.execute();
    const postponed = execution.getPostponed();
    if (postponed.length !== 1 || postponed[0].id !== 'review') throw new Error('instance is not waiting at review');
    return engine;
  };
  keep.push(await park());  // load the code paths first
  gc();
  gc();
  const before = process.memoryUsage();
  for (let i = 0; i < n; i++) keep.push(await park());
  gc();
  gc();
  const after = process.memoryUsage();
  const perHeap = (after.heapUsed - before.heapUsed) / n;
  const perRss = (after.rss - before.rss) / n;
  console.log(JSON.stringify({ name: 'waiting_user_task', instances: n, heap_bytes_per_instance: Math.round(perHeap),
                               rss_bytes_per_instance: Math.round(perRss), gc: globalThis.gc !== undefined }));
  return keep.length;
}

const { version } = JSON.parse(readFileSync(new URL('./node_modules/bpmn-engine/package.json', import.meta.url), 'utf8'));
console.log(JSON.stringify({ name: 'version', bpmn_engine: version, node: process.version }));
await bench('engine_service_task', serviceModel);
await bench('engine_xor_feel', xorModel);
if (waiting > 0) await parked(waiting);
