// Single source files of the bundled workspace packages, imported by the path the CLI's bundler
// maps to the file itself rather than to the package's index (see build/workspace-sources.ts):
// code reached only through an index would load the whole package. Types come from the package.

declare module '@careos/sdk/src/leads/ingest-params.js' {
  export { buildLeadRequest } from '@careos/sdk';
}
