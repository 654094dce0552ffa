import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Compiles the project (src, bench, test support) with the TypeScript compiler into a scratch
 * folder, as `npm run build` does for production, so the workers run plain JavaScript: under
 * tsx every process carries a module-loader thread and the compiler (about 55 MB of RSS on
 * this machine), which would be counted against the memory targets. Type errors do not stop
 * the emit (the benchmarks are not the type check).
 */
const ROOT = join(__dirname, '..', '..');

/**
 * Inside node_modules/.cache like other tools' caches: linters and test runners skip it, and
 * modules compiled there still resolve the project's packages (node_modules is an ancestor).
 */
export const COMPILED_DIR = join(ROOT, 'node_modules', '.cache', 'mirrorgraph-bench');
/** How a compiled file's path starts, relative to the project. */
export const COMPILED_PREFIX = 'node_modules/.cache/mirrorgraph-bench/';

export async function compileProject(outDir: string): Promise<string> {
  rmSync(outDir, { recursive: true, force: true });
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.json'), '--outDir', outDir, '--sourceMap', 'false', '--declaration', 'false', '--incremental', 'false'], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch {
    // tsc exits non-zero on type errors but still emits; what matters is whether the workers exist.
  }
  if (!existsSync(join(outDir, 'bench', 'workers', 'sync.worker.js'))) throw new Error(`tsc did not emit the bench workers into ${outDir}`);
  return outDir;
}
