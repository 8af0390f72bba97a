// `npm run build -w @vigil/dashboard`: bundles the UI into dist/ and prints each asset's size.
import { buildDashboard } from './build.js';

const { distDir, assets } = await buildDashboard();
console.log(`built ${distDir}`);
for (const a of assets) console.log(`  ${a.file.padEnd(36)} ${String(a.bytes).padStart(8)} B  ${String(a.gzipBytes).padStart(7)} B gzip`);
