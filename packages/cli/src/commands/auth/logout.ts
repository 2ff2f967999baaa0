import type { Command } from 'commander';
import { createCredentialStore } from '../../lib/credentials/store.js';
import { noun } from '../../lib/nouns.js';
import { createOutput, type Output } from '../../lib/output.js';
import { configFilePath, profileName, removeProfile } from '../../lib/profiles.js';
import { SECRET_SETTINGS } from '../../lib/settings.js';

interface Options {
  profile?: string;
  json?: boolean;
}

interface Removed {
  setting: string;
  from: 'config' | 'keychain' | 'file';
}

function render(out: Output, profile: string, removed: readonly Removed[], paths: { config: string; file: string }): string {
  if (removed.length === 0) return `Nothing was stored for profile "${profile}".`;
  const where = { config: paths.config, file: paths.file, keychain: 'OS keychain' };
  const lines = [`Removed from profile "${profile}":`];
  for (const from of ['keychain', 'file', 'config'] as const) {
    const names = removed.filter((r) => r.from === from).map((r) => r.setting);
    if (names.length > 0) lines.push(`  ${names.join(', ')}  ${out.color.dim(`(${where[from]})`)}`);
  }
  return lines.join('\n');
}

/** `careos auth logout`: forgets everything a profile stored, in every place it may be. */
export function register(program: Command): void {
  noun(program, 'auth')
    .command('logout')
    .description("Remove a profile's stored secrets (OS keychain and credentials file) and its values in config.json")
    .option('--profile <name>', 'stored profile to remove (env CAREOS_PROFILE, default "default")')
    .option('--json', 'print what was removed as JSON')
    .action(async (options: Options) => {
      const out = createOutput({ json: options.json });
      const store = createCredentialStore({ warn: out.warn });
      const profile = profileName(options.profile);
      // The file and the keychain, whichever one login used: secrets land in the file while the
      // keychain is down. Only CAREOS_CREDENTIAL_STORE=file keeps this away from the keychain.
      const secrets = await store.remove(profile, SECRET_SETTINGS);
      const removed: Removed[] = [
        ...secrets.removed.map((r) => ({ setting: r.name, from: r.backend })),
        ...removeProfile(profile).map((setting) => ({ setting, from: 'config' as const })),
      ];
      const report = { profile, removed, ...(secrets.keychainUnavailable ? { keychainUnavailable: secrets.keychainUnavailable } : {}) };
      out.data(report, () => render(out, profile, removed, { config: configFilePath(), file: store.filePath }));
      if (secrets.keychainUnavailable) out.note(`The OS keychain could not be checked (${secrets.keychainUnavailable}); anything stored there is still there.`);
    });
}
