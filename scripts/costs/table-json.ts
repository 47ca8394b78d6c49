/**
 * Read and write a cost table file in its hand-edited layout (one line per point, per node factor
 * and per parameter), so the generators (CACTI here, synthesis elsewhere) rewrite only the
 * classes they own and leave a diff a reviewer can read.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../sim/output.ts';
import type { CostTableSpec } from '../../sim/costs.ts';

/** `{ "a": 1, "b": [2, 3] }` on one line (the layout of the committed tables). */
export function inline(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(inline).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    const e = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return e.length === 0 ? '{}' : `{ ${e.map(([k, x]) => `${JSON.stringify(k)}: ${inline(x)}`).join(', ')} }`;
  }
  return JSON.stringify(v);
}

function block(entries: [string, string][], indent: string): string {
  return `{\n${entries.map(([k, v]) => `${indent}  ${JSON.stringify(k)}: ${v}`).join(',\n')}\n${indent}}`;
}

export function formatCostTable(spec: CostTableSpec & { $schema?: string }): string {
  const top: [string, string][] = [];
  for (const [k, v] of Object.entries(spec)) {
    if (k === 'nodeScaling' || k === 'parameters') {
      top.push([k, block(Object.entries(v as Record<string, unknown>).map(([n, x]) => [n, inline(x)]), '  ')]);
    } else if (k === 'classes') {
      const classes = Object.entries(spec.classes).map(([name, c]): [string, string] => {
        const fields = Object.entries(c).map(([f, x]): [string, string] =>
          f === 'points' ? [f, `[\n${(x as unknown[]).map((p) => `        ${inline(p)}`).join(',\n')}\n      ]`] : [f, inline(x)],
        );
        return [name, block(fields, '    ')];
      });
      top.push([k, block(classes, '  ')]);
    } else {
      top.push([k, inline(v)]);
    }
  }
  return `${block(top, '')}\n`;
}

export function readCostTableSpec(file: string): CostTableSpec & { $schema?: string } {
  return JSON.parse(readFileSync(file, 'utf8')) as CostTableSpec;
}

export function writeCostTableSpec(file: string, spec: CostTableSpec): void {
  writeFileAtomic(file, formatCostTable(spec));
}
