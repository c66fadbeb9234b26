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
  console.log(`  bare fetch, the engine's pool    ${fmt(d.bareMs)}`);
  console.log(`  bare fetch, Agent capped at ${d.concurrency} connections  ${fmt(d.cappedMs)}`);
  console.log(`  builder + transport (generic)   ${fmt(d.engineMs)}  (${d.failed} failed)`);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(`  overhead, median of ${d.rounds} paired rounds  ${pct(d.overhead)} (target ≤ 25%; quartiles ${pct(d.quartiles[0])}–${pct(d.quartiles[1])}, totals ${pct(d.totalOverhead)})`);
  console.log(`  overhead over the capped Agent (pooling policy included)  ${pct(d.cappedOverhead)}`);
}

if (!only || only === 'cluster') {
  const { runClusterBench } = await import('./cluster.js');
  const c = await runClusterBench();
  console.log(`cluster: ${c.total} Events written to the fake API server at ${c.perSecond}/s`);
  console.log(`  bare client-node watch  p50 ${c.bare.p50.toFixed(1)} ms  p99 ${c.bare.p99.toFixed(1)} ms  (${c.received.bare} received)`);
  console.log(`  tool: event → decision  p50 ${c.tool.p50.toFixed(1)} ms  p99 ${c.tool.p99.toFixed(1)} ms  (${c.received.tool} decided)`);
  console.log(`  difference              p50 ${(c.tool.p50 - c.bare.p50).toFixed(1)} ms  p99 ${(c.tool.p99 - c.bare.p99).toFixed(1)} ms (target ≤ +50 ms)`);
}

if (!only || only === 'tui') {
  const { printTuiBench } = await import('./tui.js');
  await printTuiBench();
}
