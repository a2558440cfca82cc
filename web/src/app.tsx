// Routes of the web app. Portal pages are in the main bundle (they must be
// small and fast on a phone); the designer and the form renderer load on demand.
import { ErrorBoundary, lazy, LocationProvider, Route, Router } from 'preact-iso';
import { focusMainOnRouteChange } from './components/Layout';
import { LangProvider } from './lib/i18n';
import { NotFound } from './portal/NotFound';
import { StartPage } from './portal/StartPage';

const DesignerPage = lazy(() => import('./designer/DesignerPage').then((m) => m.DesignerPage));

export function App() {
  return (
    <LangProvider>
      <LocationProvider>
        <ErrorBoundary>
          <Router onRouteChange={focusMainOnRouteChange}>
            <Route path="/" component={StartPage} />
            <Route path="/designer/:tenant" component={DesignerPage} />
            <Route path="/designer/:tenant/:kind/:key" component={DesignerPage} />
            <Route default component={NotFound} />
          </Router>
        </ErrorBoundary>
      </LocationProvider>
    </LangProvider>
  );
}
