/**
 * Runs a transaction again when MySQL/MariaDB chose it as a deadlock's victim (ER_LOCK_DEADLOCK,
 * rolled back whole, so running it again is safe). A sync page and a webhook batch may lock rows
 * they share; each locks its rows in id order and the change log head last, which makes a
 * deadlock rare, not impossible (an apply locks the rows it upserts, then the ones it deletes).
 */
const ATTEMPTS = 3;

export async function retryOnDeadlock<T>(transaction: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      if (attempt >= ATTEMPTS || !isDeadlock(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 20));
    }
  }
}

function isDeadlock(error: unknown): boolean {
  const candidates = [error, (error as { driverError?: unknown } | null)?.driverError];
  return candidates.some((candidate) => (candidate as { errno?: unknown } | null)?.errno === 1213 || (candidate as { code?: unknown } | null)?.code === 'ER_LOCK_DEADLOCK');
}
