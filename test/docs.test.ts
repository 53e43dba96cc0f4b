import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { EVENT_TYPES } from '../src/events/types.js';

it('the README lists every event type', async () => {
  const readme = await readFile('README.md', 'utf8');
  const missing = EVENT_TYPES.filter((type) => {
    const [subject, verb] = type.split('.');
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${subject}.*\` |`));
    return !row?.includes(`\`${verb}\``);
  });
  expect(missing).toEqual([]);
});
