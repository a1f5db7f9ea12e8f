/**
 * The real `npm run worker` process, plus the job kind `test`: two steps, each a POST to
 * EFFECTS_URL/<reference>/<step> and then its phase written, so a job taken over resumes after the last
 * finished step. The POST carries the abort signal: a stopping worker gives the job up mid-step.
 */
import { runWorker } from '../../composition/run-worker.js';

const STEPS = ['one', 'two'];

await runWorker({
  jobHandlers: {
    async test({ job, savePhase, signal }) {
      for (const step of STEPS.slice(job.phase ? STEPS.indexOf(job.phase) + 1 : 0)) {
        const res = await fetch(`${process.env.EFFECTS_URL}/${job.reference}/${step}?pid=${process.pid}`, { method: 'POST', signal });
        if (!res.ok) throw new Error(`step ${step}: HTTP ${res.status}`);
        await savePhase(step);
      }
      return { result: 'done' };
    },
  },
});
