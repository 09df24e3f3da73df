#!/usr/bin/env node
'use strict';
// a reader that stops early (`corpus-lens check … | head`) closes the pipe: end quietly, as Unix tools do. A command
// that listens for it itself (extract: its worker threads must finish their batches first, since ending a thread
// inside nodejieba aborts the process) ends on its own.
process.stdout.on('error', (e) => {
  if (e.code !== 'EPIPE') throw e;
  if (process.stdout.listenerCount('error') === 1) process.exit(0);
});
require('../dist/cli.js').main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
