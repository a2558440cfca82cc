// All user-facing texts, German first (the default), English second.
// A key missing in one language fails the type check.
export const messages = {
  de: {
    appName: 'Amtsweg',
    tagline: 'Online-Dienste Ihrer Verwaltung – rund um die Uhr.',
    statusHeading: 'Systemstatus',
    statusChecking: 'Wird geprüft …',
    statusReady: 'Bereit: Datenbank erreichbar, alle Migrationen angewendet.',
    statusNotReady: 'Nicht bereit: {detail}',
    statusUnreachable: 'Der Server ist nicht erreichbar. Bitte versuchen Sie es später erneut.',
    emptyInstallation: 'Noch keine Verwaltung eingerichtet.',
    notFoundHeading: 'Seite nicht gefunden',
    notFoundText: 'Die Adresse {path} gibt es hier nicht.',
    toHome: 'Zur Startseite',
    language: 'Sprache',
    switchTo: 'English',
    footer: 'Amtsweg – freie Software für Verwaltungen',
    tenantsHeading: 'Verwaltungen',
    errorSummaryTitle: 'Bitte prüfen Sie Ihre Angaben',
    loading: 'Wird geladen …',
    retry: 'Erneut versuchen',
    networkError: 'Keine Verbindung zum Server. Ihre Eingaben bleiben erhalten; bitte versuchen Sie es erneut.',
  },
  en: {
    appName: 'Amtsweg',
    tagline: 'Online services of your administration – around the clock.',
    statusHeading: 'System status',
    statusChecking: 'Checking …',
    statusReady: 'Ready: database reachable, all migrations applied.',
    statusNotReady: 'Not ready: {detail}',
    statusUnreachable: 'The server cannot be reached. Please try again later.',
    emptyInstallation: 'No administration has been set up yet.',
    notFoundHeading: 'Page not found',
    notFoundText: 'There is no page at {path}.',
    toHome: 'To the start page',
    language: 'Language',
    switchTo: 'Deutsch',
    footer: 'Amtsweg – free software for public administrations',
    tenantsHeading: 'Administrations',
    errorSummaryTitle: 'Please check your entries',
    loading: 'Loading …',
    retry: 'Try again',
    networkError: 'No connection to the server. Your entries are kept; please try again.',
  },
} as const satisfies Record<'de' | 'en', Record<string, string>>;

export type Lang = keyof typeof messages;
export type MessageKey = keyof (typeof messages)['de'];

