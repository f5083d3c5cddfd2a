// `npm run --silent cli -- <command>`: tenants and API keys for operators and scripts, and
// imports of local files into a running server.
import { runCli } from './cli.js';

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  progress: process.stderr.isTTY ? process.stderr : undefined,
});
process.exitCode = code;
