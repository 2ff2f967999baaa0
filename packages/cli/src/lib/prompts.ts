import { CliError, ExitCode } from './exit-codes.js';

/** A value a command needs, and how to ask for it. */
export interface RequiredValue {
  /** Option name as the user types it, e.g. `--api-key`. */
  flag: string;
  /** Environment variable that can supply it, when there is one. */
  env?: string;
  /** Prompt text. */
  message: string;
  /** Masks the answer. */
  secret?: boolean;
  value: string | undefined;
}

/** True when both stdin and stdout are terminals, so prompting makes sense. */
export function canPrompt(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY);
}

/**
 * Returns every value, prompting for missing ones on a TTY. Without a TTY (scripts, CI,
 * pipes) it never waits for input: it fails with exit code 2 listing every missing flag.
 */
export async function fillMissing(values: readonly RequiredValue[], interactive = canPrompt()): Promise<string[]> {
  const missing = values.filter((v) => v.value === undefined || v.value === '');
  if (missing.length > 0 && !interactive) {
    const list = missing.map((v) => (v.env ? `${v.flag} (or ${v.env})` : v.flag)).join(', ');
    throw new CliError(`Missing required options: ${list}`, ExitCode.USAGE);
  }
  const out: string[] = [];
  for (const v of values) {
    if (v.value !== undefined && v.value !== '') out.push(v.value);
    else {
      const { input, password } = await inquirerPrompts();
      out.push(v.secret ? await password({ message: v.message, mask: '*' }) : await input({ message: v.message, required: true }));
    }
  }
  return out;
}

/** Asks the user to pick one of `choices` (call only when {@link canPrompt} is true). */
export async function chooseOne<T extends string>(message: string, choices: readonly { value: T; name: string }[]): Promise<T> {
  const { select } = await inquirerPrompts();
  return select({ message, choices: [...choices] });
}

/** `@inquirer/prompts`, loaded the first time a prompt is shown: most runs never show one. */
function inquirerPrompts(): Promise<typeof import('@inquirer/prompts')> {
  return import('@inquirer/prompts');
}
