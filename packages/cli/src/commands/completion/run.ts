import type { Command } from 'commander';
import { noun } from '../../lib/nouns.js';
import { oneOf } from '../../lib/option-parsers.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;

/** `careos completion bash|zsh|fish`: prints a completion script generated from the command tree. */
export function register(program: Command): void {
  noun(program, 'completion')
    .argument('<shell>', SHELLS.join(', '), oneOf(SHELLS))
    .description('Print a shell completion script (every command and flag)')
    .addHelpText(
      'after',
      [
        '',
        'Load it in the current shell, or add the line to your shell start-up file:',
        '  bash  source <(careos completion bash)      (~/.bashrc)',
        '  zsh   source <(careos completion zsh)       (~/.zshrc)',
        '  fish  careos completion fish | source       (~/.config/fish/config.fish)',
      ].join('\n'),
    )
    .action(async (shell: (typeof SHELLS)[number]) => {
      const { bashCompletion, fishCompletion, zshCompletion } = await import('../../lib/completion.js');
      // The whole program, every command loaded: completion covers them all, itself included.
      const { buildProgram } = await import('../../program.js');
      const root = await buildProgram();
      const script = shell === 'bash' ? bashCompletion(root) : shell === 'zsh' ? zshCompletion(root) : fishCompletion(root);
      process.stdout.write(script);
    });
}
