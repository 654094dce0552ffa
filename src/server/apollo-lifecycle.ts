import type { ApolloServer, ApolloServerPlugin, BaseContext } from '@apollo/server';
import { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import type { FastifyInstance } from 'fastify';

/**
 * Ties Apollo's and Fastify's shutdowns together whichever starts first, without the
 * deadlock of the plain pairing (Fastify's close hook waits for `apollo.stop()`, whose drain
 * step waits for `fastify.close()`):
 * - `app.close()`: the preClose hook stops Apollo, and the drain step is skipped;
 * - `apollo.stop()`: the drain plugin closes Fastify, and the hook does not wait for Apollo.
 */
export class ApolloLifecycle {
  private fastifyClosing = false;
  private apolloDraining = false;

  constructor(private readonly app: FastifyInstance) {}

  /** `fastifyApolloDrainPlugin`, skipped when Fastify is already closing. */
  drainPlugin<C extends BaseContext>(): ApolloServerPlugin<C> {
    const drain = fastifyApolloDrainPlugin<C>(this.app);
    return {
      serverWillStart: async (service) => {
        const listener = await drain.serverWillStart?.(service);
        return {
          drainServer: async () => {
            if (this.fastifyClosing) return;
            this.apolloDraining = true;
            await listener?.drainServer?.();
          },
        };
      },
    };
  }

  /** Registers the hook that stops Apollo when Fastify closes. */
  stopWithFastify<C extends BaseContext>(apollo: ApolloServer<C>): void {
    this.app.addHook('preClose', async () => {
      if (this.apolloDraining) return;
      this.fastifyClosing = true;
      await apollo.stop();
    });
  }
}
