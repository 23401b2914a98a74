// Runs the bundled CLI in this process with the arguments listed in the JSON file named by the
// first argument (a bulk command line is too long to pass comfortably), and prints its peak
// resident set size as the last stderr line "peak-rss-mib N", for the bulk scenario's target.
import { readFileSync } from 'node:fs';
import { loadCliBundle } from '../bin/cli-bundle.cjs';

const args = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const status = await loadCliBundle().exports.main(args, { handleSignals: false });
process.stderr.write(`peak-rss-mib ${(process.resourceUsage().maxRSS / 1024).toFixed(1)}\n`);
process.exitCode = status;
