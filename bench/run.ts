// `npm run bench`: prints each benchmark's figures. Not a test: numbers, not pass/fail.

import { runDecisionBench } from './decisions.js';
import { runBuildBench, runDeliveryBench } from './providers.js';

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
const only = process.argv[2];

if (!only || only === 'decisions') {
  const d = runDecisionBench();
  console.log('decision core: 100k events × 100 alerts');
  console.log(`  JSON.parse of the NDJSON        ${fmt(d.parseMs)}`);
  console.log(`  decisions (intake, rate limit, every alert, dispatch gates, notifier construction)  ${fmt(d.decideMs)}`);
  console.log(`  ratio decisions / parse         ${d.ratio.toFixed(2)}× (target ≤ 3×)`);
  console.log(`  Go-compatible decoding (extra)  ${fmt(d.goDecodeMs)}`);
  console.log(`  matched alert-events ${d.matched}, dispatched ${d.dispatched}`);
}

if (!only || only === 'providers') {
  const b = runBuildBench();
  console.log(`provider engine: build requests for ${b.n} notifications across ${b.types} HTTP types`);
  console.log(`  ${fmt(b.ms)} total, ${b.perOpUs.toFixed(1)} µs per notification, ${b.requests} requests, ${b.failures} failures`);
  const d = await runDeliveryBench();
  console.log(`delivery: ${d.n} notifications to a loopback HTTP server, keep-alive, ${d.concurrency} in flight`);
  console.log(`  bare fetch                      ${fmt(d.bareMs)}`);
  console.log(`  builder + transport (generic)   ${fmt(d.engineMs)}  (${d.failed} failed)`);
  console.log(`  overhead                        ${(d.overhead * 100).toFixed(1)}% (target ≤ 25%)`);
}
