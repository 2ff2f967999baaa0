#!/usr/bin/env node
import module from 'node:module';

// Reuse V8's compiled code between runs (kept in the OS temp dir; NODE_DISABLE_COMPILE_CACHE=1
// turns it off): compiling is much of a short command's start-up. The rest is imported after
// this line so that it is covered.
module.enableCompileCache?.();
const { keychainCallsInFlight } = await import('./lib/credentials/keychain.js');
const { run } = await import('./run.js');
const { handleOutputError } = await import('./lib/closed-output.js');

// `careos ... | head` closes the pipe early: most commands just stop, a bulk send finishes
// cleanly (see closed-output.ts).
process.stdout.on('error', (error: NodeJS.ErrnoException) => handleOutputError('stdout', error));
process.stderr.on('error', (error: NodeJS.ErrnoException) => handleOutputError('stderr', error));

process.exitCode = await run(process.argv.slice(2));

// A keychain call we gave up on (an unlock prompt nobody answers) would keep the process
// alive; once the output is flushed there is nothing left to wait for.
if (keychainCallsInFlight() > 0) process.stdout.write('', () => process.stderr.write('', () => process.exit()));
