#!/usr/bin/env node
import { handleOutputError } from './lib/closed-output.js';
import { keychainCallsInFlight } from './lib/credentials/keychain.js';
import { run } from './run.js';

// `careos ... | head` closes the pipe early: most commands just stop, a bulk send finishes
// cleanly (see closed-output.ts).
process.stdout.on('error', (error: NodeJS.ErrnoException) => handleOutputError('stdout', error));
process.stderr.on('error', (error: NodeJS.ErrnoException) => handleOutputError('stderr', error));

process.exitCode = await run(process.argv.slice(2));

// A keychain call we gave up on (an unlock prompt nobody answers) would keep the process
// alive; once the output is flushed there is nothing left to wait for.
if (keychainCallsInFlight() > 0) process.stdout.write('', () => process.stderr.write('', () => process.exit()));
