/**
 * One CSV line → its cells (RFC 4180 quoting: "Conv,1" is one cell, "" inside quotes is a quote),
 * trimmed; a '#' outside quotes starts a comment (SCALE-Sim topologies use them).
 */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell.trim() === '') {
      quoted = true;
      wasQuoted = true;
      cell = '';
    } else if (c === ',') {
      cells.push(wasQuoted ? cell : cell.trim());
      cell = '';
      wasQuoted = false;
    } else if (c === '#') break;
    else if (!(wasQuoted && /\s/.test(c))) cell += c;
  }
  cells.push(wasQuoted ? cell : cell.trim());
  return cells;
}
