// Writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip -9) beside
// every compressible file of the built web app, so that `amtsweg serve` sends
// precompressed bytes to clients that accept them (src/http/static_files.h)
// instead of compressing per request. Node's own zlib does both.
// Usage: node scripts/compress.mjs DIST_DIR
import { readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = process.argv[2];
if (!root) {
  console.error('usage: node scripts/compress.mjs DIST_DIR');
  process.exit(2);
}
const compressible = /\.(js|mjs|css|html|svg|json|webmanifest|txt|xml|eot|ttf)$/;
const minBytes = 1024; // smaller files gain nothing worth a second file

let files = 0, before = 0, afterGz = 0, afterBr = 0;
function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) { walk(path); continue; }
    if (entry.name.endsWith('.gz') || entry.name.endsWith('.br')) {
      // A twin whose original is gone (an earlier build) is removed.
      try { statSync(path.slice(0, -3)); } catch { unlinkSync(path); }
      continue;
    }
    if (!compressible.test(entry.name)) continue;
    const data = readFileSync(path);
    if (data.length < minBytes) continue;
    const gz = gzipSync(data, { level: constants.Z_BEST_COMPRESSION });
    if (gz.length >= data.length * 0.9) continue;
    const br = brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    });
    // Written after the original, so not older than it (the server ignores stale twins).
    writeFileSync(path + '.gz', gz);
    writeFileSync(path + '.br', br);
    files++; before += data.length; afterGz += gz.length; afterBr += br.length;
  }
}
walk(root);
const kib = (n) => (n / 1024).toFixed(0);
console.log(`compress: ${files} files, ${kib(before)} KiB -> ${kib(afterGz)} KiB gzip, ${kib(afterBr)} KiB brotli`);
