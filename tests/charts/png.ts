// A tiny PNG reader for the visual check: 8-bit RGB/RGBA, non-interlaced
// (what Chromium writes). Returns pixel statistics, not an image library.
import { inflateSync } from "node:zlib";

export interface PngStats {
  width: number;
  height: number;
  /** Share of pixels that are not (near) white. */
  inked: number;
  /** Distinct colours, counted on a 4-bit-per-channel grid. */
  colours: number;
}

export function pngStats(buf: Buffer): PngStats {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error("not a PNG file");
  let off = 8,
    width = 0,
    height = 0,
    depth = 0,
    type = 0,
    interlace = 0;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off),
      kind = buf.toString("ascii", off + 4, off + 8);
    const body = buf.subarray(off + 8, off + 8 + len);
    if (kind === "IHDR") {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      depth = body[8];
      type = body[9];
      interlace = body[12];
    } else if (kind === "IDAT") idat.push(body);
    else if (kind === "IEND") break;
    off += 12 + len;
  }
  if (depth !== 8 || (type !== 2 && type !== 6) || interlace !== 0) throw new Error(`unsupported PNG (depth ${depth}, type ${type}, interlace ${interlace})`);
  const bpp = type === 6 ? 4 : 3,
    stride = width * bpp;
  const raw = inflateSync(Buffer.concat(idat));
  const px = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1,
      dst = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? px[dst + x - bpp] : 0,
        b = y ? px[dst - stride + x] : 0,
        c = x >= bpp && y ? px[dst - stride + x - bpp] : 0;
      let v = raw[src + x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c,
          pa = Math.abs(p - a),
          pb = Math.abs(p - b),
          pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      px[dst + x] = v & 255;
    }
  }
  let inked = 0;
  const colours = new Set<number>();
  for (let i = 0; i < px.length; i += bpp) {
    const r = px[i],
      g = px[i + 1],
      b = px[i + 2];
    if (r < 240 || g < 240 || b < 240) inked++;
    colours.add(((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4));
  }
  return { width, height, inked: inked / (width * height), colours: colours.size };
}
