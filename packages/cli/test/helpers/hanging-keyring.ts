// Preloaded with NODE_OPTIONS=--import: replaces @napi-rs/keyring, in the built CLI, by a keychain
// that never answers and keeps the event loop busy, as a native call blocked on an unlock prompt does.
import { registerHooks } from 'node:module';

const source = `
const hang = () => { setInterval(() => {}, 1 << 30); return new Promise(() => {}); };
export class AsyncEntry {
  getPassword() { return hang(); }
  setPassword() { return hang(); }
  deleteCredential() { return hang(); }
}
`;

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === '@napi-rs/keyring') return { url: `data:text/javascript,${encodeURIComponent(source)}`, shortCircuit: true };
    return nextResolve(specifier, context);
  },
});
