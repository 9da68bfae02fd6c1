// SPDX-License-Identifier: EUPL-1.2
/**
 * GET /metrics in Prometheus text. A fresh Registry per server (tests run several servers in one process);
 * the deployment-wide counters live in Redis, so they are read at scrape time — once per scrape, then each
 * metric's collect() copies from that snapshot.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import type { Counters, OperatorService, StatusReport } from '../state/operator.ts';

export function registerMetrics(app: FastifyInstance, operator: OperatorService): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  let snap: { counters: Counters; status: StatusReport; inDoubt: Awaited<ReturnType<OperatorService['inDoubtCounts']>> } | undefined;

  new Counter({
    name: 'banditore_posts_total', help: 'Posts by outcome, across every process.', labelNames: ['publisher', 'network', 'outcome'], registers: [registry],
    collect() { this.reset(); for (const p of snap?.counters.posts ?? []) this.inc({ publisher: p.publisher, network: p.network, outcome: p.outcome }, p.value); },
  });
  new Counter({
    name: 'banditore_feed_polls_total', help: 'Feed polls by result.', labelNames: ['publisher', 'result'], registers: [registry],
    collect() { this.reset(); for (const p of snap?.counters.polls ?? []) this.inc({ publisher: p.publisher, result: p.result }, p.value); },
  });
  new Counter({
    name: 'banditore_limit_refusals_total', help: 'Posts held back by an account limit.', labelNames: ['publisher', 'network'], registers: [registry],
    collect() { this.reset(); for (const p of snap?.counters.limitRefusals ?? []) this.inc({ publisher: p.publisher, network: p.network }, p.value); },
  });
  new Gauge({
    name: 'banditore_queue_jobs', help: 'Jobs in each queue by state.', labelNames: ['network', 'state'], registers: [registry],
    collect() {
      this.reset();
      for (const q of snap?.counters.queues ?? []) {
        for (const state of ['waiting', 'delayed', 'active', 'failed', 'completed'] as const) this.set({ network: q.network, state }, q[state]);
      }
    },
  });
  new Gauge({
    name: 'banditore_limit_used_ratio', help: 'Share of each limit window in use (1 = full).', labelNames: ['publisher', 'network', 'window'], registers: [registry],
    collect() {
      this.reset();
      for (const ch of snap?.status.channels ?? []) {
        for (const l of ch.limits) this.set({ publisher: ch.publisher, network: ch.network, window: `${Math.round(l.perMs / 1000)}s` }, l.max > 0 ? l.used / l.max : 0);
      }
    },
  });

  new Gauge({
    name: 'banditore_posts_in_doubt', help: 'Posts whose outcome is unknown (or posted without the network id), read from the index of entries in doubt.', labelNames: ['publisher', 'network'], registers: [registry],
    collect() { this.reset(); for (const p of snap?.inDoubt ?? []) this.set({ publisher: p.publisher, network: p.network }, p.value); },
  });

  app.get('/metrics', async (_req, reply) => {
    const [counters, status, inDoubt] = await Promise.all([operator.counters(), operator.status(), operator.inDoubtCounts()]);
    snap = { counters, status, inDoubt };
    const text = await registry.metrics();
    return reply.type(registry.contentType).send(text);
  });
  return registry;
}
