// `npm run bench`: prints each benchmark's figures. Not a test: numbers, not pass/fail.

import { runDecisionBench } from './decisions.js';

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

const d = runDecisionBench();
console.log('decision core: 100k events × 100 alerts');
console.log(`  JSON.parse of the NDJSON        ${fmt(d.parseMs)}`);
console.log(`  decisions (intake, rate limit, every alert, dispatch gates, notifier construction)  ${fmt(d.decideMs)}`);
console.log(`  ratio decisions / parse         ${d.ratio.toFixed(2)}× (target ≤ 3×)`);
console.log(`  Go-compatible decoding (extra)  ${fmt(d.goDecodeMs)}`);
console.log(`  matched alert-events ${d.matched}, dispatched ${d.dispatched}`);
