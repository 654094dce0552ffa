import { startSimulator, type DriftOptions, type RandomFaults, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { serveWorker } from '../lib/worker.js';

/** The upstream simulator in its own process: its CPU and memory are not the sync's. */
let simulator: Simulator | undefined;
/** When each request was admitted by the rate limiter (epoch ms), when it is on. */
const admissions: number[] = [];

/** Records admission times by wrapping the limiter's `admit` (the rate-limit benchmark's clock). */
function recordAdmissions(sim: Simulator): void {
  const limiter = sim.rateLimiter;
  if (!limiter) return;
  const admit = limiter.admit.bind(limiter);
  limiter.admit = () => {
    const admission = admit();
    if (admission.admitted) admissions.push(Date.now());
    return admission;
  };
}

serveWorker<SimulatorOptions, { url: string }>({
  async start(options) {
    simulator = await startSimulator({ ...options, host: '127.0.0.1' });
    recordAdmissions(simulator);
    return { url: simulator.url };
  },
  calls: {
    async stats() {
      const live = Object.fromEntries((['people', 'companies', 'opportunities', 'projects'] as const).map((r) => [r, simulator!.store.count(r)]));
      return { ...simulator!.stats, live, drift: simulator!.drift.totals, faults: simulator!.faults.injected };
    },
    async admissions() {
      return admissions;
    },
    async resetStats() {
      simulator!.resetStats();
      return null;
    },
    async setFaults(random: RandomFaults | null) {
      if (random === null) simulator!.faults.clear();
      else simulator!.faults.setRandom(random);
      return null;
    },
    async setDrift(options: DriftOptions | false) {
      simulator!.drift.configure(options);
      return null;
    },
  },
  async stop() {
    await simulator?.close();
    return null;
  },
});
