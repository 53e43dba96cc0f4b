import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** A graphql-ws client that connects at once and reports the code the socket closed with. */
export function wsClient(url: string, token?: string): { client: Client; closed: Promise<number> } {
  let onClosed: (code: number) => void;
  const closed = new Promise<number>((resolve) => (onClosed = resolve));
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => {},
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    on: { closed: (event) => onClosed((event as { code: number }).code) },
  });
  return { client, closed };
}

/** Resolves when `client` has its connection acknowledged. */
export function connected(client: Client): Promise<void> {
  return new Promise((resolve) => {
    const off = client.on('connected', () => (off(), resolve()));
  });
}

/** Subscribes and resolves with the first result or error the server sends for it. */
export function firstResult<T = unknown>(client: Client, query: string, variables: Record<string, unknown> = {}): Promise<{ data?: T; errors?: { message: string; extensions?: { code?: string } }[] }> {
  return new Promise((resolve) => {
    const dispose = client.subscribe<T>(
      { query, variables },
      {
        next: (result) => (dispose(), resolve(result as never)),
        error: (error) => resolve({ errors: Array.isArray(error) ? error : [{ message: String(error) }] }),
        complete: () => {},
      },
    );
  });
}
