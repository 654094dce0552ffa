import { QueryFailedError } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { retryOnDeadlock } from '../../src/sync/deadlock-retry.js';

const deadlock = () => new QueryFailedError('INSERT ...', [], Object.assign(new Error('Deadlock found when trying to get lock'), { errno: 1213, code: 'ER_LOCK_DEADLOCK' }));

describe('retryOnDeadlock', () => {
  it('runs a transaction chosen as a deadlock victim again, up to three times', async () => {
    let calls = 0;
    await expect(retryOnDeadlock(async () => (++calls < 3 ? Promise.reject(deadlock()) : 'done'))).resolves.toBe('done');
    expect(calls).toBe(3);
    calls = 0;
    await expect(retryOnDeadlock(async () => (++calls, Promise.reject(deadlock())))).rejects.toThrow(/Deadlock/);
    expect(calls).toBe(3);
  });

  it('does not run again after any other failure', async () => {
    let calls = 0;
    const duplicate = new QueryFailedError('INSERT ...', [], Object.assign(new Error('Duplicate entry'), { errno: 1062, code: 'ER_DUP_ENTRY' }));
    await expect(retryOnDeadlock(async () => (++calls, Promise.reject(duplicate)))).rejects.toThrow(/Duplicate/);
    expect(calls).toBe(1);
  });
});
