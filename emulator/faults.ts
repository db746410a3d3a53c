// Injected failures: what a bot meets on the real network (flood waits, 5xx, slowness, lost
// connections, lost answers), on demand and reproducibly.

interface Targeting {
  /** Only calls of this method (any spelling); without it every method but getUpdates. */
  method?: string;
  /** Hit the next `count` matching calls (default 1); with `probability`, at most `count` hits. */
  count?: number;
  /** Hit each matching call with this chance, drawn from the seeded generator. */
  probability?: number;
}

export type Fault = Targeting &
  (
    | { kind: 'too_many_requests'; retryAfter: number }
    | { kind: 'server_error'; status?: 500 | 502 | 503 }
    | { kind: 'slow'; delayMs: number }
    /** Destroy the socket without answering; `afterApplying`: the call took effect, only the answer is lost. */
    | { kind: 'drop'; afterApplying?: boolean }
  );

export interface Faults {
  inject(fault: Fault): void;
  clear(): void;
  seed(n: number): void;
}

/** mulberry32: small, fast, and the same sequence for the same seed on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultPlan implements Faults {
  #rules: { fault: Fault; remaining: number }[] = [];
  #random = prng(1);

  inject(fault: Fault): void {
    const remaining = fault.count ?? (fault.probability === undefined ? 1 : Number.POSITIVE_INFINITY);
    this.#rules.push({ fault, remaining });
  }

  clear(): void {
    this.#rules = [];
  }

  seed(n: number): void {
    this.#random = prng(n);
  }

  /** The fault that hits this call, if any; rules are tried in the order they were injected. */
  take(method: string): Fault | undefined {
    for (const rule of this.#rules) {
      const { fault } = rule;
      // Polling is spared unless named: a fault meant for sendMessage should not be eaten by getUpdates.
      const matches = fault.method
        ? fault.method.toLowerCase() === method.toLowerCase()
        : method !== 'getUpdates';
      if (!matches) continue;
      if (fault.probability !== undefined && this.#random() >= fault.probability) continue;
      rule.remaining--;
      if (rule.remaining <= 0) this.#rules = this.#rules.filter((r) => r !== rule);
      return fault;
    }
    return undefined;
  }
}
