import { builder } from './builder.js';

// Every connection has a totalCount; connection fields provide it as a number or a loader.
builder.globalConnectionField('totalCount', (t) =>
  t.int({
    resolve: (parent) => {
      const { totalCount } = parent as { totalCount?: number | (() => number | Promise<number>) };
      return typeof totalCount === 'function' ? totalCount() : (totalCount ?? 0);
    },
  }),
);
