import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type ExecutionResult, print } from 'graphql';
import type { TestApp } from './app.js';

export type Subscription<Result> = {
  /** The next result, or a test failure after `timeoutMs`. */
  next(timeoutMs?: number): Promise<ExecutionResult<Result>>;
  /** Whatever arrives within `ms`: for asserting that nothing (more) comes. */
  drain(ms?: number): Promise<ExecutionResult<Result>[]>;
  /** True once the server ended the stream. */
  ended(): boolean;
  close(): void;
};

/** Subscribes in-process over server-sent events, as a browser's EventSource would. */
export async function subscribe<Result, Variables>(
  app: TestApp,
  document: TypedDocumentNode<Result, Variables> | string,
  variables: Variables,
  token?: string,
): Promise<Subscription<Result>> {
  const controller = new AbortController();
  const response = await app.yoga.fetch('http://tiebridge.test/graphql', {
    method: 'POST',
    signal: controller.signal,
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query: typeof document === 'string' ? document : print(document), variables }),
  });
  const queue: ExecutionResult<Result>[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block
            .split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trim())
            .join('\n');
          if (/^event: complete/m.test(block)) ended = true;
          else if (data) queue.push(JSON.parse(data) as ExecutionResult<Result>);
          wake?.();
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  const waitFor = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  // Give the server a moment to register the subscription before events are caused.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return {
    async next(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (!queue.length && Date.now() < deadline) await waitFor(deadline - Date.now());
      const result = queue.shift();
      if (!result) throw new Error(`no subscription result within ${timeoutMs} ms`);
      return result;
    },
    async drain(ms = 300) {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return queue.splice(0);
    },
    ended: () => ended,
    close: () => controller.abort(),
  };
}

/** The SQL statements `app` sends from `cause` until each of these subscribers (their
 * tokens) has heard the event it causes, and what each heard: for checking that an
 * event's reads do not grow with its subscribers. */
export async function statementsToHear<Result, Variables>(
  app: TestApp,
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
  tokens: string[],
  cause: () => Promise<unknown>,
): Promise<{ statements: number; heard: ExecutionResult<Result>[] }> {
  const streams = await Promise.all(tokens.map((token) => subscribe(app, document, variables, token)));
  let heard: ExecutionResult<Result>[] = [];
  try {
    const statements = await app.countStatements(async () => {
      await cause();
      heard = await Promise.all(streams.map((stream) => stream.next()));
    });
    return { statements, heard };
  } finally {
    for (const stream of streams) stream.close();
  }
}
