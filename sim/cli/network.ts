/** `quantsim network list|show`: the shipped networks and any network's layers, MACs and parameters. */
import type { Argv } from 'yargs';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_DIR } from '../paths.ts';
import { emit } from '../output.ts';
import { TABLE_COLUMNS, textTable, wrapText } from '../report.ts';
import { tableWidth, wideOption } from './common.ts';
import { biasCount, loadNetwork, macs, networkMacs, parameterCount, weightCount, type Layer, type Network } from '../workload.ts';

type ListFormat = 'table' | 'json';
const formatOption = { choices: ['table', 'json'] as const, default: 'table' as ListFormat, describe: 'table (human) or json' };

/** Parameters a layer owns (matmul operands are activations, not parameters). */
const layerParameters = (l: Layer) => (l.kind === 'matmul' ? 0 : weightCount(l) + biasCount(l));

const pairText = (a: number, b: number) => (a === b ? String(a) : `${a}×${b}`);

export function networkSummary(n: Network) {
  return { name: n.name, layers: n.layers.length, macs: networkMacs(n), parameters: parameterCount(n), source: n.source, description: n.description };
}

export function networkJson(n: Network) {
  return {
    ...networkSummary(n),
    file: n.file,
    layers: n.layers.map((l) => ({ ...l, macs: macs(l), parameters: layerParameters(l) })),
  };
}

export function formatNetworkTable(n: Network, maxWidth = TABLE_COLUMNS): string {
  const header = ['layer', 'kind', 'N', 'C', 'M', 'P', 'Q', 'R', 'S', 'stride', 'pad', 'groups', 'relu', 'MACs', 'params'];
  const rows = n.layers.map((l) => [
    l.name,
    l.kind,
    String(l.N),
    String(l.C),
    String(l.M),
    String(l.P),
    String(l.Q),
    String(l.R),
    String(l.S),
    pairText(l.strideH, l.strideW),
    pairText(l.padH, l.padW),
    String(l.groups),
    l.relu ? 'yes' : '',
    String(macs(l)),
    String(layerParameters(l)),
  ]);
  rows.push(['TOTAL', '', '', '', '', '', '', '', '', '', '', '', '', String(networkMacs(n)), String(parameterCount(n))]);
  const head = [`${n.name}${n.file ? ` (${n.file})` : ''}: ${n.layers.length} layers, ${networkMacs(n).toLocaleString('en-US')} MACs, ${parameterCount(n).toLocaleString('en-US')} parameters`];
  if (n.source) head.push(`source: ${n.source}`);
  if (n.description) head.push(n.description);
  return `${wrapText(head.join('\n'), maxWidth)}\n\n${textTable(header, rows, { maxWidth })}\n`;
}

/** The names under configs/networks/, sorted. */
export function shippedNetworks(): string[] {
  return readdirSync(join(CONFIG_DIR, 'networks')).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

const listCommand = {
  command: 'list',
  describe: 'The shipped networks (configs/networks/) with layers, MACs and parameters',
  builder: (y: Argv) => y.option('format', formatOption).option('out', { type: 'string', describe: 'Write to this file (atomically) instead of stdout' }).option('wide', wideOption),
  handler: (a: { format: ListFormat; out?: string; wide?: boolean }) => {
    const rows = shippedNetworks().map((name) => networkSummary(loadNetwork(name)));
    if (a.format === 'json') return emit(`${JSON.stringify(rows, null, 2)}\n`, a.out);
    const body = rows.map((r) => [r.name, String(r.layers), r.macs.toLocaleString('en-US'), r.parameters.toLocaleString('en-US'), r.source]);
    emit(`${textTable(['network', 'layers', 'MACs', 'parameters', 'source'], body, tableWidth(a.wide))}\n\nOther sequence lengths: transformer-base@N.\nFiles: .json (quantsim), .csv (SCALE-Sim topology), .yaml/.yml (Timeloop problem).\n`, a.out);
  },
};

const showCommand = {
  command: 'show <network>',
  describe: 'Layers of one network: kind, dimensions, MACs, parameters and totals',
  builder: (y: Argv) =>
    y
      .positional('network', { type: 'string', demandOption: true, describe: 'A name under configs/networks/ (resnet50, transformer-base@256) or a file: .json, SCALE-Sim .csv, Timeloop .yaml' })
      .option('format', formatOption)
      .option('out', { type: 'string', describe: 'Write to this file (atomically) instead of stdout' })
      .option('wide', wideOption),
  handler: (a: { network: string; format: ListFormat; out?: string; wide?: boolean }) => {
    const n = loadNetwork(a.network);
    emit(a.format === 'json' ? `${JSON.stringify(networkJson(n), null, 2)}\n` : formatNetworkTable(n, a.wide ? Infinity : TABLE_COLUMNS), a.out);
  },
};

export const networkCommand = {
  command: 'network',
  describe: 'List the shipped networks or show one network\'s layers (also SCALE-Sim .csv and Timeloop .yaml files)',
  builder: (y: Argv) => y.command(listCommand).command(showCommand).demandCommand(1, 'give a subcommand: list or show'),
  handler: () => {},
};
