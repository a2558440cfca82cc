// A complete Plakatierung application as the API takes it (the demo form
// `plakatierung`): commercial, 20 A1 posters, 1-10 May 2027, so a 25 € fee
// (the minimum) — the specs rely on these answers. Each spec gives its own
// applicant and event so that its cases can be told apart.
export function plakatierungAntrag(who: {
  name: string; strasse: string; email: string; veranstaltung: string; verantwortlich: string;
  zeitraum?: { von: string; bis: string }; anzahl?: number; groesse?: string;
}) {
  const anzahl = who.anzahl ?? 20;
  return {
    antragsteller: { name: who.name, strasse: who.strasse, plz: '24999', ort: 'Musterdorf', email: who.email, telefon: '+49 4600 4321' },
    zweck: 'gewerblich',
    veranstaltung: who.veranstaltung,
    zeitraum: who.zeitraum ?? { von: '2027-05-01', bis: '2027-05-10' },
    plakate: { anzahl, groesse: who.groesse ?? 'A1' },
    standorte: [{ strasse: 'Dorfstraße', anzahl }],
    verantwortlich: { name: who.verantwortlich, telefon: '+49 170 5556667' },
    bestaetigung: true,
  };
}
