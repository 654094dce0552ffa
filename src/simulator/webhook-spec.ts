import type { WebhookOptions } from './webhooks.js';

const KNOWN = 'http, loss, duplicates, delay, reorder, wrong-secret, batch, seed';

/**
 * `mirrorgraph simulate --webhooks <spec>`: comma-separated settings, e.g.
 * `http,loss=0.1,duplicates=0.05,delay=0-900000,reorder,wrong-secret`. `http` accepts http://
 * targets (the real API takes HTTPS only); `delay` is ms, one number or `min-max`.
 */
export function parseWebhookSpec(text: string): WebhookOptions {
  const options: WebhookOptions = {};
  for (const item of text.split(',').map((part) => part.trim()).filter(Boolean)) {
    const [key, value] = item.split('=').map((part) => part.trim());
    const number = (): number => {
      const n = Number(value);
      if (value === undefined || value === '' || !Number.isFinite(n)) throw new RangeError(`webhooks ${key} needs a number, got ${JSON.stringify(value ?? '')}`);
      return n;
    };
    if (key === 'http') options.allowHttpTargets = true;
    else if (key === 'reorder') options.reorder = true;
    else if (key === 'wrong-secret') options.wrongSecret = true;
    else if (key === 'loss') options.loss = number();
    else if (key === 'duplicates') options.duplicates = number();
    else if (key === 'batch') options.batchMs = number();
    else if (key === 'seed') options.seed = number();
    else if (key === 'delay') {
      const range = /^(\d+)-(\d+)$/.exec(value ?? '');
      options.delayMs = range ? [Number(range[1]), Number(range[2])] : number();
    } else throw new RangeError(`unknown webhooks setting "${key.slice(0, 30)}" (known: ${KNOWN})`);
  }
  return options;
}
