/**
 * `careos`, the CareOS command line. The package is used as a program (`npx careos --help`);
 * these exports let other tools embed it.
 *
 * @packageDocumentation
 */
export { run } from './run.js';
export { describeFailure } from './lib/failure.js';
export { buildProgram } from './program.js';
export { ExitCode, CliError } from './lib/exit-codes.js';
export { generatePartnerKeys, careosEnvVars, partnerEnvVars, type PartnerKeys } from './lib/keygen.js';
