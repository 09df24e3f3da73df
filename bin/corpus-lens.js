#!/usr/bin/env node
'use strict';
// a reader that stops early (`corpus-lens check … | head`) closes the pipe: end quietly, as Unix tools do
process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(0); else throw e; });
require('../dist/cli.js').main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
