/** `npm run demo [-- --keep-running] [--dir DIR] [--base-port N]` */
import { runDemo } from './demo.js';

const args = process.argv.slice(2);
const value = (flag: string) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
const known = new Set(['--keep-running', '--dir', '--base-port']);
for (const [i, a] of args.entries()) {
  if (a.startsWith('--') && !known.has(a)) {
    process.stderr.write(`demo: unknown option ${a} (options: ${[...known].join(', ')})\n`);
    process.exit(2);
  }
  if ((a === '--dir' || a === '--base-port') && args[i + 1] === undefined) {
    process.stderr.write(`demo: ${a} needs a value\n`);
    process.exit(2);
  }
}
const basePort = value('--base-port');
if (basePort !== undefined && !/^[1-9][0-9]{3,4}$/.test(basePort)) {
  process.stderr.write('demo: --base-port must be a port number from 1000 to 65000\n');
  process.exit(2);
}

try {
  const result = await runDemo({
    keepRunning: args.includes('--keep-running'),
    ...(value('--dir') ? { dir: value('--dir')! } : {}),
    ...(basePort ? { basePort: Number(basePort) } : {}),
  });
  if (args.includes('--keep-running')) {
    const stop = async () => {
      for (const s of [...result.services].reverse()) await s.stop();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop());
    process.on('SIGTERM', () => void stop());
  }
} catch (e) {
  process.stderr.write(`\ndemo failed: ${(e as Error).message}\n`);
  process.exitCode = 1;
}
