import { createClient as createSocket } from 'graphql-ws';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { Client, cacheExchange, fetchExchange, Provider, subscriptionExchange } from 'urql';

const TOKEN_KEY = 'tiebridge.token';
const GRAPHQL_PATH = '/graphql';

type Session = {
  /** The bearer token of the signed-in member, or null. */
  token: string | null;
  signIn(token: string): void;
  signOut(): void;
};

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside <SessionProvider>');
  return session;
}

/**
 * One urql client per token: queries and mutations over HTTP, subscriptions over
 * graphql-ws on the same path, both carrying the token. Signing in or out replaces the
 * client, so nothing cached for one member is shown to another.
 */
function clientFor(token: string | null): { client: Client; dispose(): void } {
  const authorization = token ? `Bearer ${token}` : undefined;
  const socketUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${GRAPHQL_PATH}`;
  const socket = createSocket({ url: socketUrl, connectionParams: authorization ? { authorization } : {}, lazy: true });
  const client = new Client({
    url: GRAPHQL_PATH,
    preferGetMethod: false,
    fetchOptions: () => ({ headers: { 'x-graphql-yoga-csrf': '1', ...(authorization ? { authorization } : {}) } }),
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: socket.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
  });
  return { client, dispose: () => void socket.dispose() };
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(() => localStorage.getItem(TOKEN_KEY));
  const signIn = useCallback((next: string) => {
    localStorage.setItem(TOKEN_KEY, next);
    setToken(next);
  }, []);
  const signOut = useCallback(() => {
    localStorage.removeItem(TOKEN_KEY);
    setToken(null);
  }, []);
  const connection = useMemo(() => clientFor(token), [token]);
  useEffect(() => () => connection.dispose(), [connection]);
  const session = useMemo(() => ({ token, signIn, signOut }), [token, signIn, signOut]);
  return (
    <SessionContext.Provider value={session}>
      <Provider value={connection.client}>{children}</Provider>
    </SessionContext.Provider>
  );
}
