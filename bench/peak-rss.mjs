// Runs the bundled CLI in this process with the arguments listed in the JSON file named by the
// first argument (a bulk command line is too long to pass comfortably), plus `-out DIR` when a
// second argument names DIR, and prints its peak resident set size as the last stderr line
// "peak-rss-mib N", for the bulk scenario's target.
import { readFileSync } from 'node:fs';
import { loadCliBundle } from '../bin/cli-bundle.cjs';

const [listFile, out] = process.argv.slice(2);
const args = [...JSON.parse(readFileSync(listFile, 'utf8')), ...(out ? ['-out', out] : [])];
const status = await loadCliBundle().exports.main(args, { handleSignals: false });
process.stderr.write(`peak-rss-mib ${(process.resourceUsage().maxRSS / 1024).toFixed(1)}\n`);
process.exitCode = status;
