#!/usr/bin/env node
'use strict';
// A reader that stops early (`corpus-lens check … | head`) closes the pipe: end quietly, as Unix tools do. A command
// that must wind down first (extract: its worker threads finish their batches, since ending a thread inside
// nodejieba aborts the process) takes this over. Any other failed write (a full disk) is main's: exit 2, one line.
require('../dist/cli.js').main(process.argv.slice(2), undefined, { onReaderGone: () => process.exit(0) }).then((code) => { process.exitCode = code; });
