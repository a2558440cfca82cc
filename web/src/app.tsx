// Routes of the web app. Portal pages are in the main bundle (they must be
// small and fast on a phone); the designer, the dashboards and the form renderer load on demand.
import { ErrorBoundary, lazy, LocationProvider, Route, Router } from 'preact-iso';
import { focusMainOnRouteChange } from './components/Layout';
import { LangProvider } from './lib/i18n';
import { NotFound } from './portal/NotFound';
import { ReceiptPage } from './portal/ReceiptPage';
import { ServicePage } from './portal/ServicePage';
import { StartPage } from './portal/StartPage';
import { TenantPage } from './portal/TenantPage';

const ApplyPage = lazy(() => import('./portal/ApplyPage').then((m) => m.ApplyPage));
const WorkspacePage = lazy(() => import('./workspace/Workspace').then((m) => m.WorkspacePage));
const DesignerPage = lazy(() => import('./designer/DesignerPage').then((m) => m.DesignerPage));
const AdminPage = lazy(() => import('./admin/AdminPage').then((m) => m.AdminPage));
const StatusPage = lazy(() => import('./portal/StatusPage').then((m) => m.StatusPage));
const PostfachPage = lazy(() => import('./portal/PostfachPage').then((m) => m.PostfachPage));
const DashboardPage = lazy(() => import('./dashboard/DashboardPage').then((m) => m.DashboardPage));

// The server sends /designer/ pages with a CSP of their own (the bpmn.io
// editors need inline styles), and a document keeps the CSP it was loaded
// with. So a link into the designer from elsewhere loads the page afresh
// (outside the router's scope); inside the designer every link stays in the app.
const designerDocument = typeof location !== 'undefined' && location.pathname.startsWith('/designer/');
const routerScope = designerDocument ? undefined : /^\/(?!designer\/)/;

export function App() {
  return (
    <LangProvider>
      <LocationProvider {...(routerScope ? { scope: routerScope } : {})}>
        <ErrorBoundary>
          <Router onRouteChange={focusMainOnRouteChange}>
            <Route path="/" component={StartPage} />
            <Route path="/designer/:tenant" component={DesignerPage} />
            <Route path="/designer/:tenant/:kind/:key" component={DesignerPage} />
            <Route path="/verwaltung/:tenant" component={AdminPage} />
            <Route path="/arbeitsplatz/:tenant" component={WorkspacePage} />
            <Route path="/arbeitsplatz/:tenant/aufgaben/:task" component={WorkspacePage} />
            <Route path="/arbeitsplatz/:tenant/faelle/:case" component={WorkspacePage} />
            <Route path="/auswertung/:tenant" component={DashboardPage} />
            <Route path="/auswertung/:tenant/prozess/:process" component={DashboardPage} />
            <Route path="/:tenant" component={TenantPage} />
            <Route path="/:tenant/leistungen/:service" component={ServicePage} />
            <Route path="/:tenant/leistungen/:service/antrag" component={ApplyPage} />
            <Route path="/:tenant/eingang/:code" component={ReceiptPage} />
            <Route path="/:tenant/status/:code" component={StatusPage} />
            <Route path="/:tenant/postfach/:code" component={PostfachPage} />
            <Route default component={NotFound} />
          </Router>
        </ErrorBoundary>
      </LocationProvider>
    </LangProvider>
  );
}
