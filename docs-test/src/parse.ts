/**
 * Finds the code blocks of a Markdown document and the `<!-- doc-test: … -->` markers that
 * tell the harness how to run each one (see ../README.md for the conventions).
 */

/** Fence languages the harness runs. Every other fence (json, text, …) is shown output or data. */
export const RUNNABLE_LANGUAGES = {
  sh: 'shell',
  bash: 'shell',
  shell: 'shell',
  ts: 'module',
  typescript: 'module',
  mts: 'module',
  js: 'module',
  javascript: 'module',
  mjs: 'module',
} as const;

/** How a block is run: through bash, or as an ES module file with Node. */
export type BlockKind = (typeof RUNNABLE_LANGUAGES)[keyof typeof RUNNABLE_LANGUAGES];

/** One `<!-- doc-test: name args -->` marker. */
export interface Marker {
  name: string;
  args: string;
  line: number;
}

/** One runnable fenced block with the markers written right before it. */
export interface DocBlock {
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  kind: BlockKind;
  code: string;
  markers: Marker[];
}

/** Markers the harness understands; anything else is a typo and fails the document. */
export const MARKER_NAMES = ['skip', 'server', 'setup-server', 'file', 'exit', 'env', 'expect', 'timeout'] as const;

const MARKER = /^<!--\s*doc-test:\s*([a-z-]+)\s*(.*?)\s*-->$/;
const FENCE_OPEN = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/;

/** A document's blocks, plus its setup markers (markers not directly before a runnable block). */
export interface ParsedDoc {
  blocks: DocBlock[];
  /** Document-level markers (`setup-server`), wherever they stand. */
  setup: Marker[];
  problems: string[];
}

/** Splits a Markdown document into runnable blocks and the markers that govern them. */
export function parseDoc(text: string): ParsedDoc {
  const lines = text.split('\n');
  const blocks: DocBlock[] = [];
  const setup: Marker[] = [];
  const problems: string[] = [];
  let pending: Marker[] = [];

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    const marker = MARKER.exec(trimmed);
    if (marker) {
      const m = { name: marker[1]!, args: marker[2]!.replace(/^[—–:-]\s*/, ''), line: i + 1 };
      if (!(MARKER_NAMES as readonly string[]).includes(m.name)) problems.push(`line ${m.line}: unknown marker "doc-test: ${m.name}"`);
      if (m.name === 'setup-server') setup.push(m);
      else pending.push(m);
      continue;
    }
    const fence = FENCE_OPEN.exec(raw);
    if (fence) {
      const [, indent, ticks, lang] = fence;
      const body: string[] = [];
      let j = i + 1;
      for (; j < lines.length; j++) {
        const l = lines[j]!;
        if (l.trim().startsWith(ticks!) && l.trim().replace(/[`~]/g, '') === '') break;
        body.push(l.startsWith(indent!) ? l.slice(indent!.length) : l.trimStart());
      }
      const kind = RUNNABLE_LANGUAGES[lang!.toLowerCase() as keyof typeof RUNNABLE_LANGUAGES];
      if (kind) blocks.push({ line: i + 1, lang: lang!, kind, code: `${body.join('\n')}\n`, markers: pending });
      else if (pending.length) problems.push(`line ${pending[0]!.line}: marker before a \`${lang || 'plain'}\` block, which is never run`);
      pending = [];
      i = j;
      continue;
    }
    // Markers bind to the next fence; blank lines and other comments may sit between them, text may not.
    if (trimmed !== '' && !trimmed.startsWith('<!--') && pending.length) {
      for (const m of pending) problems.push(`line ${m.line}: marker "${m.name}" is not directly before a code block`);
      pending = [];
    }
  }
  for (const block of blocks) {
    for (const m of block.markers) {
      if (m.name === 'skip' && m.args.length < 8) problems.push(`line ${m.line}: "doc-test: skip" needs a reason a reader can check`);
      if (m.name === 'file' && !/^[\w./-]+$/.test(m.args)) problems.push(`line ${m.line}: "doc-test: file" needs a file name`);
      if (m.name === 'exit' && !/^\d+$/.test(m.args)) problems.push(`line ${m.line}: "doc-test: exit" needs a number`);
      if (m.name === 'server' && m.args !== '' && m.args !== 'replace') problems.push(`line ${m.line}: "doc-test: server" takes nothing or "replace"`);
      if (m.name === 'timeout' && !/^\d+$/.test(m.args)) problems.push(`line ${m.line}: "doc-test: timeout" needs seconds`);
    }
  }
  return { blocks, setup, problems };
}

/** The first marker of that name on a block, if any. */
export function marker(block: DocBlock, name: (typeof MARKER_NAMES)[number]): Marker | undefined {
  return block.markers.find((m) => m.name === name);
}
