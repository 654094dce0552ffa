/**
 * Resident set size of this process, sampled every 100 ms (the peak between samples is caught
 * by the kernel's high-water mark, `resourceUsage().maxRSS`, reported beside it).
 */
export interface RssReport {
  /** MB at the first sample. */
  startMb: number;
  /** MB at the last sample. */
  endMb: number;
  /** Largest sampled value, MB. */
  peakMb: number;
  /** The kernel's high-water mark for the whole process life, MB. */
  maxRssMb: number;
  samples: number;
  /** Largest RSS and V8 heap in use per tenth of the sampled time, MB (growth shows here). */
  tenths: { rssMb: number; heapUsedMb: number }[];
}

const MB = 1024 * 1024;
const round = (n: number) => Math.round(n * 10) / 10;

export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  private first = 0;
  private last = 0;
  private peak = 0;
  private count = 0;
  private began = Date.now();
  /** Per-second maxima, for `tenths`. */
  private seconds: { rss: number; heap: number }[] = [];

  start(intervalMs = 100): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
    return this;
  }

  /** Forgets the samples so far (the next report starts now). */
  reset(): void {
    this.count = 0;
    this.peak = 0;
    this.began = Date.now();
    this.seconds = [];
    this.sample();
  }

  report(): RssReport {
    this.sample();
    return {
      startMb: round(this.first / MB),
      endMb: round(this.last / MB),
      peakMb: round(this.peak / MB),
      maxRssMb: round((process.resourceUsage().maxRSS * 1024) / MB),
      samples: this.count,
      tenths: this.tenths(),
    };
  }

  stop(): RssReport {
    clearInterval(this.timer);
    return this.report();
  }

  private tenths(): { rssMb: number; heapUsedMb: number }[] {
    const seconds = this.seconds.filter(Boolean);
    const n = seconds.length;
    if (n === 0) return [];
    return Array.from({ length: Math.min(10, n) }, (_, i) => {
      const part = seconds.slice(Math.floor((i * n) / Math.min(10, n)), Math.floor(((i + 1) * n) / Math.min(10, n)));
      return { rssMb: round(Math.max(...part.map((p) => p.rss)) / MB), heapUsedMb: round(Math.max(...part.map((p) => p.heap)) / MB) };
    });
  }

  private sample(): void {
    const { rss, heapUsed } = process.memoryUsage();
    const second = Math.floor((Date.now() - this.began) / 1_000);
    const slot = (this.seconds[second] ??= { rss: 0, heap: 0 });
    slot.rss = Math.max(slot.rss, rss);
    slot.heap = Math.max(slot.heap, heapUsed);
    if (this.count === 0) this.first = rss;
    this.last = rss;
    this.peak = Math.max(this.peak, rss);
    this.count++;
  }
}
