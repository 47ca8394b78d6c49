/** Parse yosys `stat -liberty` output: cell counts by type and the chip area of one module. */

export interface YosysStat {
  module: string;
  cells: Map<string, number>;
  cellCount: number;
  /** Sum of the mapped cells' Liberty areas, µm² (yosys's "Chip area"). */
  chipAreaUm2: number;
}

export function parseYosysStat(text: string): YosysStat {
  const head = /^=== (\S+) ===$/m.exec(text);
  if (!head) throw new Error('yosys stat: no "=== module ===" header');
  const body = text.slice(head.index);
  const count = /^\s+Number of cells:\s+(\d+)$/m.exec(body);
  if (!count) throw new Error('yosys stat: no "Number of cells" line');
  const cells = new Map<string, number>();
  // Cell lines follow "Number of cells:" and are indented deeper: "     NAND2_X1   48".
  for (const line of body.slice(count.index + count[0].length).split('\n')) {
    const m = /^\s{4,}(\S+)\s+(\d+)$/.exec(line);
    if (!m) {
      if (line.trim() === '') continue;
      break;
    }
    cells.set(m[1]!, Number(m[2]));
  }
  const area = /Chip area for module '\\?([^']+)':\s+([0-9.eE+-]+)/.exec(body);
  if (!area) throw new Error('yosys stat: no "Chip area" line (was stat run with -liberty?)');
  const cellCount = Number(count[1]);
  const listed = [...cells.values()].reduce((s, n) => s + n, 0);
  if (listed !== cellCount) throw new Error(`yosys stat: cell lines add up to ${listed}, not ${cellCount}`);
  return { module: head[1]!, cells, cellCount, chipAreaUm2: Number(area[2]) };
}
