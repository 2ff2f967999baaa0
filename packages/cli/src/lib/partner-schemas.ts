// The contract's schemas of a partner's name and key environment, for `careos keys generate` to
// import when it runs: a file of its own, so that declaring the command loads no zod.
export { KeyEnvironment, PlatformName } from '@careos/contract';
