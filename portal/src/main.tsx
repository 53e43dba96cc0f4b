import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Link, Route, Router, Switch } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import { useQuery } from 'urql';
import { graphql } from './graphql';
import { AuthPage } from './pages/Auth';
import { DashboardPage } from './pages/Dashboard';
import { HomePage } from './pages/Home';
import { NetworkPage } from './pages/Network';
import { SessionProvider, useSession } from './session';
import './styles.css';

const ViewerQuery = graphql(`query PortalViewer { viewer { id handle displayName } }`);

function Header() {
  const { token, signOut } = useSession();
  const [{ data }] = useQuery({ query: ViewerQuery, pause: !token });
  return (
    <header className="site-header">
      <nav aria-label="Main">
        <Link href="/" className="brand">
          Tiebridge
        </Link>
        <span className="spacer" />
        {token && data?.viewer ? (
          <>
            <span className="who">
              Signed in as <strong>@{data.viewer.handle}</strong>
            </span>
            <button type="button" className="secondary" onClick={signOut}>
              Sign out
            </button>
          </>
        ) : (
          <>
            <Link href="/signin">Sign in</Link>
            <Link href="/signup" className="button">
              Sign up
            </Link>
          </>
        )}
        <a href="/graphql" className="muted">
          GraphiQL
        </a>
      </nav>
    </header>
  );
}

function App() {
  return (
    <SessionProvider>
      <Router hook={useHashLocation}>
        <a
          href="#main"
          className="skip"
          onClick={(event) => {
            // The hash holds the route: move focus instead of following the link.
            event.preventDefault();
            document.getElementById('main')?.focus();
          }}
        >
          Skip to content
        </a>
        <Header />
        <main id="main" tabIndex={-1}>
          <Switch>
            <Route path="/">{() => <HomePage />}</Route>
            <Route path="/signin">{() => <AuthPage mode="in" />}</Route>
            <Route path="/signup">{() => <AuthPage mode="up" />}</Route>
            <Route path="/n/:slug/dashboard">{(params) => <DashboardPage slug={params.slug} />}</Route>
            <Route path="/n/:slug">{(params) => <NetworkPage slug={params.slug} />}</Route>
            <Route>
              <section className="card">
                <h1>Not found</h1>
                <Link href="/">Go home</Link>
              </section>
            </Route>
          </Switch>
        </main>
      </Router>
    </SessionProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
