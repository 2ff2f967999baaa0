import type { Command } from 'commander';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../program.js';
import { runCli, tempDir } from '../../../test/helpers/cli.js';

/** What bash offers for the words typed so far (the last one being completed), with the script loaded. */
function bashComplete(script: string, words: string[]): string[] {
  const file = join(tempDir(), 'careos.bash');
  writeFileSync(file, script);
  const array = words.map((w) => `'${w}'`).join(' ');
  const out = execFileSync('bash', ['-c', `source ${file}; COMP_WORDS=(${array}); COMP_CWORD=${words.length - 1}; _careos; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).sort();
}

/** Every command path of the program, e.g. `lead send`. */
async function commandPaths(): Promise<string[]> {
  const paths: string[] = [];
  const walk = (command: Command, prefix: string[]) => {
    for (const sub of command.commands) {
      paths.push([...prefix, sub.name()].join(' '));
      walk(sub, [...prefix, sub.name()]);
    }
  };
  walk(await buildProgram(), []);
  return paths;
}

describe('careos completion', () => {
  it('bash: completes commands, aliases, verbs and each command’s own flags', async () => {
    const result = await runCli(['completion', 'bash']);
    expect(result.code, result.stderr).toBe(0);
    const script = result.stdout;
    expect(bashComplete(script, ['careos', 'le'])).toEqual(['lead', 'leads']);
    expect(bashComplete(script, ['careos', 'lead', ''])).toEqual(['get', 'list', 'send']);
    expect(bashComplete(script, ['careos', 'leads', 'l'])).toEqual(['list']);
    expect(bashComplete(script, ['careos', 'lead', 'send', '--fi'])).toEqual(['--file']);
    expect(bashComplete(script, ['careos', 'payments', 'list', '--st'])).toEqual(['--status']);
    expect(bashComplete(script, ['careos', 'completion', ''])).toEqual([]);
    // After a flag that takes a value, the shell's own file-name completion takes over.
    expect(bashComplete(script, ['careos', 'lead', 'send', '--file', ''])).toEqual([]);
    expect(bashComplete(script, ['careos', 'api', '--d'])).toEqual(['--data']);
  });

  it('covers every command of the program in each shell, so new commands need nothing more', async () => {
    const [bash, zsh, fish] = await Promise.all(['bash', 'zsh', 'fish'].map((shell) => runCli(['completion', shell])));
    const top = (await buildProgram()).commands.map((c) => c.name());
    const script = bash!.stdout;
    expect(bashComplete(script, ['careos', '']).filter((w) => top.includes(w)).sort()).toEqual([...top].sort());
    for (const path of await commandPaths()) {
      const words = path.split(' ');
      if (words.length === 2) expect(bashComplete(script, ['careos', words[0]!, words[1]!.slice(0, 1)])).toContain(words[1]);
      expect(fish!.stdout).toContain(`-a '${words.at(-1)}'`);
    }
    expect(zsh!.stdout).toMatch(/^#compdef careos/);
    expect(zsh!.stdout).toContain('bashcompinit');
    expect(zsh!.stdout).toContain('complete -o default -F _careos careos');
    expect(fish!.stdout).toContain("complete -c careos -n '__fish_seen_subcommand_from lead; and __fish_seen_subcommand_from send' -l file -r -F");
  });

  it('refuses an unknown shell with exit 2', async () => {
    const result = await runCli(['completion', 'tcsh']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bash, zsh, fish');
  });
});
