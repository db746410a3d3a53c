// Injected failures: what a bot meets on the real network (flood waits, 5xx, slowness, lost
// connections, lost answers), on demand and reproducibly.

interface Targeting {
  /** Only calls of this method (any spelling); without it every method but getUpdates. */
  method?: string;
  /** Hit the next `count` matching calls (default 1); with `probability`, at most `count` hits. */
  count?: number;
  /** Hit each matching call with this chance, drawn from the seeded generator. */
  probability?: number;
  /** Only calls to this chat (`chat_id`). */
  chatId?: number;
  /** Only calls whose `text` contains this. */
  textIncludes?: string;
}

export type Fault = Targeting &
  (
    | { kind: 'too_many_requests'; retryAfter: number }
    | { kind: 'server_error'; status?: 500 | 502 | 503 }
    | { kind: 'slow'; delayMs: number }
    /** Destroy the socket without answering; `afterApplying`: the call took effect, only the answer is lost. */
    | { kind: 'drop'; afterApplying?: boolean }
    /**
     * Keep the answer on the wire until `release()`: the moment to kill the bot in. `afterApplying`: the
     * call took effect (the person sees the message) before the wait. A call whose client went away while
     * held is not applied afterwards and gets no answer.
     */
    | { kind: 'hold'; afterApplying?: boolean }
  );

export interface Faults {
  inject(fault: Fault): void;
  clear(): void;
  seed(n: number): void;
  /** How many calls a `hold` fault keeps waiting now. */
  held(): number;
  /** Lets every held call go on. */
  release(): void;
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
  #held: (() => void)[] = [];

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

  /** Resolves at the next `release()`, or when `signal` aborts (the client went away). */
  hold(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const go = () => {
        this.#held = this.#held.filter((g) => g !== go);
        signal.removeEventListener('abort', go);
        resolve();
      };
      if (signal.aborted) return resolve();
      this.#held.push(go);
      signal.addEventListener('abort', go);
    });
  }

  held(): number {
    return this.#held.length;
  }

  release(): void {
    const held = this.#held;
    this.#held = [];
    for (const go of held) go();
  }

  /** The fault that hits this call, if any; rules are tried in the order they were injected. */
  take(method: string, params: Record<string, unknown> = {}): Fault | undefined {
    for (const rule of this.#rules) {
      const { fault } = rule;
      // Polling is spared unless named: a fault meant for sendMessage should not be eaten by getUpdates.
      const matches = fault.method
        ? fault.method.toLowerCase() === method.toLowerCase()
        : method !== 'getUpdates';
      if (!matches) continue;
      if (fault.chatId !== undefined && String(params.chat_id) !== String(fault.chatId)) continue;
      if (fault.textIncludes !== undefined && !String(params.text ?? '').includes(fault.textIncludes))
        continue;
      if (fault.probability !== undefined && this.#random() >= fault.probability) continue;
      rule.remaining--;
      if (rule.remaining <= 0) this.#rules = this.#rules.filter((r) => r !== rule);
      return fault;
    }
    return undefined;
  }
}
