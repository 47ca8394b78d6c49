/**
 * Render an HTML report in headless Chromium (Debian's `chromium`), save a screenshot and check it
 * is not blank and that no plot text overflows its SVG: `tsx scripts/check-report.ts [report.html] [screenshot.png]` (defaults
 * out/report.html, out/report.png). Exit 0 when the page rendered with content, 1 otherwise.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';

export interface Image {
  width: number;
  height: number;
  /** RGBA, 8 bits per channel. */
  rgba: Uint8Array;
}

/** Decode an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes). */
export function decodePng(buf: Buffer): Image {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let off = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, color, , , interlace] = [data[8], data[9], data[10], data[11], data[12]];
      if (depth !== 8 || interlace !== 0 || (color !== 2 && color !== 6)) throw new Error(`unsupported PNG (depth ${depth}, color ${color}, interlace ${interlace})`);
      channels = color === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const px = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? px[y * stride + x - channels]! : 0;
      const b = y > 0 ? px[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? px[(y - 1) * stride + x - channels]! : 0;
      const p = a + b - c;
      const pred = [0, a, b, (a + b) >> 1, Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c][filter];
      if (pred === undefined) throw new Error(`bad PNG filter ${filter}`);
      px[y * stride + x] = (line[x]! + pred) & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let k = 0; k < 3; k++) rgba[i * 4 + k] = px[i * channels + k]!;
    rgba[i * 4 + 3] = channels === 4 ? px[i * channels + 3]! : 255;
  }
  return { width, height, rgba };
}

/** Fraction of pixels that differ from the most common color (the background). */
export function inkFraction(img: Image): number {
  const counts = new Map<number, number>();
  const n = img.width * img.height;
  const color = (i: number) => (img.rgba[i * 4]! << 16) | (img.rgba[i * 4 + 1]! << 8) | img.rgba[i * 4 + 2]!;
  for (let i = 0; i < n; i++) counts.set(color(i), (counts.get(color(i)) ?? 0) + 1);
  const background = Math.max(...counts.values());
  return n ? 1 - background / n : 0;
}

/** Run headless Chromium (Debian's `chromium`) on a page with extra flags, in a fresh profile. */
function chromium(url: string, extra: string[], size: string): { status: number | null; stdout: string; stderr: string } {
  const bin = ['chromium', 'chromium-browser', 'google-chrome'].find((c) => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0);
  if (!bin) throw new Error('no chromium on PATH (Debian: apt-get install -y chromium)');
  const profile = mkdtempSync(join(tmpdir(), 'quantsim-chromium-'));
  try {
    const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars'];
    return spawnSync(bin, [...flags, `--user-data-dir=${profile}`, `--window-size=${size}`, ...extra, url], { encoding: 'utf8', timeout: 60_000, maxBuffer: 1 << 28 });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Screenshot `html` with headless Chromium into `png`; returns the decoded image. */
export function screenshot(html: string, png: string, size = '1400,2000'): Image {
  rmSync(png, { force: true });
  const r = chromium(pathToFileURL(resolve(html)).href, [`--screenshot=${resolve(png)}`], size);
  if (!existsSync(png)) throw new Error(`chromium wrote no screenshot (exit ${r.status}): ${r.stderr.slice(-500)}`);
  return decodePng(readFileSync(png));
}

/**
 * Text in the plots that does not fit its SVG as Chromium lays it out with real fonts (vega sizes
 * text by an estimate in Node): every <text> whose box pokes out of its <svg> by more than 1 px.
 * The check runs on a copy of the page with a measuring script; the report itself has no script.
 */
export function textOverflow(html: string, size = '1400,2000'): string[] {
  const probe = `<script>addEventListener('load', () => {
    const out = [];
    for (const svg of document.querySelectorAll('svg')) {
      const box = svg.getBoundingClientRect();
      for (const t of svg.querySelectorAll('text')) {
        const r = t.getBoundingClientRect();
        if (!t.textContent.trim() || r.width === 0) continue;
        if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) out.push(t.textContent.trim().slice(0, 60));
      }
    }
    const pre = document.createElement('pre'); pre.id = 'quantsim-overflow'; pre.textContent = JSON.stringify(out); document.body.append(pre);
  });</script>`;
  const dir = mkdtempSync(join(tmpdir(), 'quantsim-overflow-'));
  try {
    const copy = join(dir, 'page.html');
    writeFileSync(copy, readFileSync(html, 'utf8').replace('</body>', `${probe}</body>`));
    const r = chromium(pathToFileURL(copy).href, ['--dump-dom', '--virtual-time-budget=10000'], size);
    const m = /<pre id="quantsim-overflow">(.*?)<\/pre>/s.exec(r.stdout);
    if (!m) throw new Error(`chromium gave no measurement (exit ${r.status}): ${r.stderr.slice(-500)}`);
    return JSON.parse(m[1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>')) as string[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const html = process.argv[2] ?? 'out/report.html';
  const png = process.argv[3] ?? html.replace(/\.html?$/, '') + '.png';
  if (!existsSync(html)) {
    process.stderr.write(`${html}: no such file (npm start writes out/report.html)\n`);
    process.exit(1);
  }
  const img = screenshot(html, png);
  const ink = inkFraction(img);
  const over = textOverflow(html);
  const ok = ink > 0.02 && over.length === 0;
  process.stdout.write(`${png}: ${img.width}×${img.height}, ${(ink * 100).toFixed(1)}% non-background pixels${ink > 0.02 ? '' : ' (BLANK)'}; ${over.length ? `text overflowing its plot: ${over.map((t) => JSON.stringify(t)).join(', ')}` : 'no text overflows its plot'} — ${ok ? 'ok' : 'FAIL'}\n`);
  process.exit(ok ? 0 : 1);
}
