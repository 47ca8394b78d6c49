/**
 * Multi-banked SRAM buffer. Each access touches one bank of `bytes / banks`, so access energy is
 * that of the bank size (the `sram` class has a CACTI or register-file point per bank size the
 * configs use, docs/costs.md); area and leakage are per bank. Banks can be power-gated: a gated
 * bank leaks the table's residual fraction (`gatedLeakageFraction`) and pays the `power_gate`
 * wake-up energy when it is enabled again.
 */
import { Component, type Action, type BuildContext } from '../../sim/component.ts';
import { die } from '../../sim/errors.ts';

export interface SramBufferSpec {
  bytes: number;
  wordBits: number;
  banks?: number;
  instances?: number;
}

export class SramBuffer extends Component {
  readonly bytes: number;
  readonly wordBits: number;
  readonly banks: number;
  readonly bankBytes: number;
  private enabledBanks: number;
  private readonly readOp: Action;
  private readonly writeOp: Action;
  private readonly wakeupOp: Action;

  constructor(name: string, ctx: BuildContext, parent: Component | undefined, spec: SramBufferSpec) {
    super(name, ctx, parent, spec.instances ?? 1);
    const banks = spec.banks ?? 1;
    if (!(spec.bytes > 0)) die(`${this.path}: size must be > 0 bytes, got ${spec.bytes}`);
    if (!(Number.isInteger(banks) && banks >= 1)) die(`${this.path}: banks must be an integer >= 1, got ${banks}`);
    if (!(Number.isInteger(spec.wordBits) && spec.wordBits >= 1)) die(`${this.path}: word width must be an integer >= 1 bit`);
    this.bytes = spec.bytes;
    this.wordBits = spec.wordBits;
    this.banks = banks;
    this.bankBytes = spec.bytes / banks;
    this.enabledBanks = banks;
    const args = { bytes: this.bankBytes, bits: this.wordBits };
    this.readOp = this.action('read', ctx.costs.energyPj('sram', 'read', args));
    this.writeOp = this.action('write', ctx.costs.energyPj('sram', 'write', args));
    this.wakeupOp = this.action('wakeup', ctx.costs.energyPj('power_gate', 'wakeup', { bytes: this.bankBytes }));
  }

  override hardwareSpec(): Readonly<Record<string, number | string | boolean>> {
    return { bytes: this.bytes, wordBits: this.wordBits, words: this.words, banks: this.banks, bankBytes: this.bankBytes };
  }

  /** Energy of one word read (for mappers that rank choices by the same figures the ledger charges). */
  get readEnergyPj(): number {
    return this.readOp.energyPj;
  }

  get writeEnergyPj(): number {
    return this.writeOp.energyPj;
  }

  /** Capacity in words of `wordBits`. */
  get words(): number {
    return Math.floor((this.bytes * 8) / this.wordBits);
  }

  get activeBanks(): number {
    return this.enabledBanks;
  }

  read(words: number): void {
    this.charge(this.readOp, words);
  }

  write(words: number): void {
    this.charge(this.writeOp, words);
  }

  /** Power-gate all but `n` banks; banks switched back on pay their wake-up energy. */
  setActiveBanks(n: number): void {
    if (!(Number.isInteger(n) && n >= 0 && n <= this.banks)) {
      throw new Error(`${this.path}: active banks must be in 0..${this.banks}, got ${n}`);
    }
    const woken = Math.max(0, n - this.enabledBanks);
    if (woken > 0) this.charge(this.wakeupOp, woken * this.instances);
    this.enabledBanks = n;
  }

  protected override poweredFraction(): number {
    return this.enabledBanks / this.banks;
  }

  protected unitAreaUm2(): number {
    return this.banks * this.ctx.costs.areaUm2('sram', { bytes: this.bankBytes, bits: this.wordBits });
  }

  protected override unitLeakageUw(): number {
    return this.banks * this.ctx.costs.leakageUw('sram', { bytes: this.bankBytes, bits: this.wordBits });
  }
}
