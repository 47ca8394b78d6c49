/**
 * Discrete-event queue: one binary heap ordered by (cycle, priority, seq).
 * The sequence number makes ties FIFO, so a replay is deterministic (cf. gem5 eventq.hh,
 * simplified: no per-object queues, lazy cancel instead of removal).
 */
export type EventHandler = (now: number) => void;

/** Named priorities for events in the same cycle: lower fires first. */
export const Priority = {
  transfer: 0,
  compute: 10,
  writeback: 20,
  stats: 100,
} as const;

interface QueuedEvent {
  at: number;
  priority: number;
  seq: number;
  fire: EventHandler;
  squashed: boolean;
}

export interface EventId {
  readonly at: number;
  readonly seq: number;
}

function before(a: QueuedEvent, b: QueuedEvent): boolean {
  if (a.at !== b.at) return a.at < b.at;
  if (a.priority !== b.priority) return a.priority < b.priority;
  return a.seq < b.seq;
}

export class Scheduler {
  private heap: QueuedEvent[] = [];
  private nextSeq = 0;
  private cycle = 0;
  private fired = 0;

  /** The current simulated cycle. Time advances only here. */
  get now(): number {
    return this.cycle;
  }

  /** Events fired so far (for benchmarks and sanity checks). */
  get firedEvents(): number {
    return this.fired;
  }

  get pending(): number {
    return this.heap.length;
  }

  /** Schedule `fire` at absolute cycle `at`; scheduling in the past is a bug. */
  schedule(at: number, fire: EventHandler, priority: number = Priority.compute): EventId {
    if (!(at >= this.cycle)) {
      throw new Error(`scheduler: event at cycle ${at} is before the current cycle ${this.cycle}`);
    }
    const ev: QueuedEvent = { at, priority, seq: this.nextSeq++, fire, squashed: false };
    this.push(ev);
    return ev;
  }

  /** Schedule `fire` `delay` cycles from now. */
  after(delay: number, fire: EventHandler, priority: number = Priority.compute): EventId {
    return this.schedule(this.cycle + delay, fire, priority);
  }

  /** Lazy cancel: the event stays in the heap and is skipped when it comes up. */
  cancel(id: EventId): void {
    (id as QueuedEvent).squashed = true;
  }

  /**
   * Fire events in order until the queue is empty or the next event is after `untilCycle`.
   * Returns the current cycle when it stops.
   */
  run(untilCycle: number = Infinity): number {
    const heap = this.heap;
    while (heap.length > 0) {
      const top = heap[0]!;
      if (top.at > untilCycle) break;
      this.pop();
      if (top.squashed) continue;
      this.cycle = top.at;
      this.fired++;
      top.fire(top.at);
    }
    if (untilCycle !== Infinity && untilCycle > this.cycle) this.cycle = untilCycle;
    return this.cycle;
  }

  /** Forget all events and return to cycle 0 (between independent replays). */
  reset(): void {
    this.heap = [];
    this.cycle = 0;
    this.nextSeq = 0;
    this.fired = 0;
  }

  private push(ev: QueuedEvent): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(ev);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!before(ev, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = ev;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    const n = heap.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(heap[r]!, heap[l]!) ? r : l;
      if (!before(heap[c]!, last)) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = last;
  }
}

/**
 * A resource that serves one request at a time (a port, a bus, a DMA engine, a PE set).
 * Requests reserve it from the later of their ready cycle and its busy-until cycle, so
 * contention turns into stall cycles instead of being assumed.
 */
export class Resource {
  private busyUntilCycle = 0;
  private busy = 0;
  private stalled = 0;

  constructor(readonly name: string) {}

  get busyUntil(): number {
    return this.busyUntilCycle;
  }

  /** Cycles this resource spent serving requests. */
  get busyCycles(): number {
    return this.busy;
  }

  /** Cycles requests waited because the resource was busy. */
  get stallCycles(): number {
    return this.stalled;
  }

  /** Reserve `cycles` starting no earlier than `ready`; returns the start and end cycle. */
  reserve(ready: number, cycles: number): { start: number; end: number } {
    if (!(cycles >= 0)) throw new Error(`resource ${this.name}: negative duration ${cycles}`);
    const start = Math.max(ready, this.busyUntilCycle);
    const end = start + cycles;
    this.stalled += start - ready;
    this.busy += cycles;
    this.busyUntilCycle = end;
    return { start, end };
  }

  reset(): void {
    this.busyUntilCycle = 0;
    this.busy = 0;
    this.stalled = 0;
  }
}
