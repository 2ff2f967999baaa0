import { describe, expect, it } from 'vitest';
import { marker, parseDoc } from './parse.js';

describe('parseDoc', () => {
  it('finds runnable blocks with the markers written right before them, and ignores output blocks', () => {
    const doc = [
      '# Title',
      '<!-- doc-test: setup-server -->',
      '',
      '<!-- doc-test: env partner -->',
      '<!-- doc-test: expect sent 1 -->',
      '```sh',
      'careos lead send --file leads.jsonl',
      '```',
      '',
      '```json',
      '{ "not": "run" }',
      '```',
      '1. A step:',
      '',
      '   ```ts',
      "   console.log('indented');",
      '   ```',
    ].join('\n');
    const { blocks, setup, problems } = parseDoc(doc);
    expect(problems).toEqual([]);
    expect(setup.map((m) => m.name)).toEqual(['setup-server']);
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toMatchObject({ line: 6, kind: 'shell', code: 'careos lead send --file leads.jsonl\n' });
    expect(marker(blocks[0]!, 'env')?.args).toBe('partner');
    expect(marker(blocks[0]!, 'expect')?.args).toBe('sent 1');
    expect(blocks[1]).toMatchObject({ line: 15, kind: 'module', code: "console.log('indented');\n", markers: [] });
  });

  it('keeps the reason of a skip, with or without a dash', () => {
    const { blocks, problems } = parseDoc('<!-- doc-test: skip — needs a real Twilio account -->\n```sh\nx\n```\n');
    expect(problems).toEqual([]);
    expect(marker(blocks[0]!, 'skip')?.args).toBe('needs a real Twilio account');
  });

  it('reports a skip without a reason, an unknown marker, and a marker separated from its block by text', () => {
    const doc = ['<!-- doc-test: skip -->', '```sh', 'x', '```', '<!-- doc-test: skp why not -->', '```ts', 'y', '```', '<!-- doc-test: exit 1 -->', 'Some text.', '```sh', 'z', '```'].join('\n');
    const { problems } = parseDoc(doc);
    expect(problems).toEqual([
      'line 5: unknown marker "doc-test: skp"',
      'line 9: marker "exit" is not directly before a code block',
      'line 1: "doc-test: skip" needs a reason a reader can check',
    ]);
  });

  it('reports a marker on a block that is never run', () => {
    expect(parseDoc('<!-- doc-test: expect x -->\n```json\n{}\n```\n').problems).toEqual(['line 1: marker before a `json` block, which is never run']);
  });
});
