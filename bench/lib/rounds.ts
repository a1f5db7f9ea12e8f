/**
 * The interleaved rounds (as the FastAPI peer's bench.py): every variant once per round, the order
 * rotated by one each round, so slow drift of the machine spreads over all variants alike.
 */
import type { BenchContext } from './context.js';
import { measure, type Measurement, type Timing } from './measure.js';
import { measurementLine } from './report.js';
import type { Variant } from './variants.js';

export async function runRounds(ctx: BenchContext, list: Variant[], rounds: number, timing: Timing): Promise<Measurement[]> {
  const measurements: Measurement[] = [];
  for (let round = 1; round <= rounds; round++) {
    const shift = (round - 1) % list.length;
    console.log(`round ${round}/${rounds}`);
    for (const variant of [...list.slice(shift), ...list.slice(0, shift)]) {
      const m = await measure(ctx, variant, round, timing);
      console.log(measurementLine(m));
      measurements.push(m);
    }
  }
  return measurements;
}
