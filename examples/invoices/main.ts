/**
 * @file Runs the invoices subgraph as its own process:
 * `node --import tsx examples/invoices/main.ts [--port N] [--host H]`.
 * Once listening it writes exactly one line to stdout, `{"invoices":"<url>"}`, which is what
 * `src/demo/example-subgraph.ts` waits for; everything else goes to stderr.
 */
import { parseArgs } from 'node:util';
import { startInvoicesSubgraph } from './server.js';

const DEFAULT_PORT = 4002;
const USAGE = 'usage: node --import tsx examples/invoices/main.ts [--port N (0: any free port)] [--host H] [--stop-with-stdin]';

function readOptions(): { port: number; host: string; stopWithStdin: boolean } {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, host: { type: 'string', default: '127.0.0.1' }, 'stop-with-stdin': { type: 'boolean', default: false } },
    strict: true,
    allowPositionals: false,
  });
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!/^\d+$/.test(values.port ?? String(DEFAULT_PORT)) || port > 65_535) {
    throw new Error(`--port must be an integer from 0 to 65535, got "${values.port}"`);
  }
  return { port, host: values.host, stopWithStdin: values['stop-with-stdin'] };
}

async function main(): Promise<void> {
  let options: { port: number; host: string; stopWithStdin: boolean };
  try {
    options = readOptions();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const subgraph = await startInvoicesSubgraph(options);
  process.stdout.write(`${JSON.stringify({ invoices: subgraph.url })}\n`);
  const stop = (signal: NodeJS.Signals) => {
    process.stderr.write(`invoices subgraph: ${signal}, closing\n`);
    // Nothing else holds the event loop once the server and stdin are closed, so the process ends by itself.
    if (options.stopWithStdin) process.stdin.destroy();
    subgraph.close().catch((error: unknown) => {
      process.stderr.write(`invoices subgraph: close failed: ${String(error)}\n`);
      process.exitCode = 1;
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // Started by the demo: its end (even a SIGKILL) closes our stdin, and we go with it rather than linger.
  if (options.stopWithStdin) process.stdin.once('close', () => stop('SIGTERM')).resume();
}

main().catch((error: unknown) => {
  process.stderr.write(`invoices subgraph failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
