// Routes of the web app. Portal pages are in the main bundle (they must be
// small and fast on a phone); the designer and the form renderer load on demand.
import { ErrorBoundary, LocationProvider, Route, Router } from 'preact-iso';
import { focusMainOnRouteChange } from './components/Layout';
import { LangProvider } from './lib/i18n';
import { NotFound } from './portal/NotFound';
import { StartPage } from './portal/StartPage';

export function App() {
  return (
    <LangProvider>
      <LocationProvider>
        <ErrorBoundary>
          <Router onRouteChange={focusMainOnRouteChange}>
            <Route path="/" component={StartPage} />
            <Route default component={NotFound} />
          </Router>
        </ErrorBoundary>
      </LocationProvider>
    </LangProvider>
  );
}
