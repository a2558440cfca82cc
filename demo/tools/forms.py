"""Writes the demo's form-js schemas (citizen applications and the staff
forms of the user tasks). German is the schema's text; English sits in
properties["label@en"] etc. (see web/src/lib/formSchema.ts)."""
import json
import os
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else '../services'


def en(c, label=None, description=None, text=None, date=None):
    props = c.setdefault('properties', {})
    if label: props['label@en'] = label
    if description: props['description@en'] = description
    if text: props['text@en'] = text
    if date: props['dateLabel@en'] = date
    return c


def field(kind, key, de, en_, required=False, **kw):
    c = {'type': kind, 'key': key, 'id': 'f_' + key.replace('.', '_'), 'label': de}
    v = dict(kw.pop('validate', {}))
    if required: v['required'] = True
    if v: c['validate'] = v
    desc_en = kw.pop('description_en', None)
    c.update(kw)
    return en(c, en_, desc_en)


def text(key, de, en_, required=False, **kw): return field('textfield', key, de, en_, required, **kw)


def area(key, de, en_, required=False, **kw): return field('textarea', key, de, en_, required, **kw)


def number(key, de, en_, required=False, **kw): return field('number', key, de, en_, required, **kw)


def date(key, de, en_, required=False, **kw):
    c = {'type': 'datetime', 'subtype': 'date', 'key': key, 'id': 'f_' + key, 'dateLabel': de}
    if required: c['validate'] = {'required': True}
    c.update(kw)
    return en(c, date=en_)


def choice(kind, key, de, en_, options, required=True, **kw):
    c = field(kind, key, de, en_, required, **kw)
    c['values'] = [{'label': d, 'label@en': e, 'value': v} for v, d, e in options]
    return c


def check(key, de, en_, required=False): return field('checkbox', key, de, en_, required)


def group(path, de, en_, comps, **kw):
    c = {'type': 'group', 'id': 'g_' + path, 'path': path, 'label': de, 'components': comps}
    c.update(kw)
    return en(c, en_)


def info(id_, de, en_): return en({'type': 'text', 'id': id_, 'text': de}, text=en_)


def email(key='email'):
    return text(key, 'E-Mail', 'E-mail', True, validate={'validationType': 'email'}, properties={})


def person(path, de, en_):
    return group(path, de, en_, [
        text('name', 'Name oder Organisation', 'Name or organisation', True, validate={'maxLength': 200}),
        text('strasse', 'Straße und Hausnummer', 'Street and number', True),
        text('plz', 'Postleitzahl', 'Postcode', True, validate={'pattern': '^[0-9]{5}$'}),
        text('ort', 'Ort', 'Town', True),
        en(text('email', 'E-Mail', 'E-mail', True, validate={'validationType': 'email'}), 'E-mail'),
        text('telefon', 'Telefon', 'Phone', True, validate={'maxLength': 40}),
    ])


def form(id_, components, **props):
    s = {'type': 'default', 'id': id_, 'schemaVersion': 16, 'components': components}
    if props: s['properties'] = props
    return s


def unique_ids(components, prefix=()):
    """form-js needs ids unique in the whole form: qualify them by the path of
    the groups and lists they sit in."""
    for c in components:
        path = prefix + ((c['path'],) if c.get('path') else ())
        if 'key' in c:
            c['id'] = 'f_' + '_'.join(prefix + (c['key'].replace('.', '_'),))
        elif c.get('type') in ('group', 'dynamiclist'):
            c['id'] = ('g_' if c['type'] == 'group' else 'd_') + '_'.join(path)
        unique_ids(c.get('components', []), path)


def write(service, schema):
    unique_ids(schema['components'])
    d = os.path.join(OUT, service)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, schema['id'] + '.form'), 'w', encoding='utf-8') as fh:
        json.dump(schema, fh, ensure_ascii=False, indent=2)
        fh.write('\n')


ZWECK = [('wahlwerbung', 'Wahlwerbung (Partei, Wählergruppe)', 'Election advertising (party, voter group)'),
         ('gemeinnuetzig', 'Gemeinnützige Veranstaltung', 'Non-profit event'),
         ('gewerblich', 'Gewerbliche Veranstaltung', 'Commercial event'),
         ('sonstiges', 'Sonstiges', 'Other')]

write('plakatierung', form('plakatierung', [
    info('intro', 'Plakate auf öffentlichen Straßen (Laternen, Ständer) sind eine Sondernutzung nach § 21 StrWG und brauchen eine Erlaubnis.',
         'Posters on public roads (lamp posts, stands) are a special use under § 21 StrWG and need a permit.'),
    person('antragsteller', 'Antragsteller', 'Applicant'),
    choice('select', 'zweck', 'Zweck der Plakatierung', 'Purpose', ZWECK),
    text('veranstaltung', 'Veranstaltung oder Wahl', 'Event or election', True, validate={'maxLength': 300}),
    date('wahltag', 'Wahltag', 'Election day', True, conditional={'hide': '=zweck != "wahlwerbung"'}),
    group('zeitraum', 'Zeitraum', 'Period', [date('von', 'Aufhängen ab', 'Put up from', True), date('bis', 'Abnehmen bis', 'Take down by', True)]),
    group('plakate', 'Plakate', 'Posters', [
        number('anzahl', 'Anzahl', 'Number', True, validate={'min': 1, 'max': 5000}, decimalDigits=0),
        choice('select', 'groesse', 'Größe', 'Size', [('A0', 'DIN A0', 'A0'), ('A1', 'DIN A1', 'A1'), ('A2', 'DIN A2', 'A2'), ('A3', 'DIN A3', 'A3')]),
    ]),
    {'type': 'dynamiclist', 'id': 'd_standorte', 'path': 'standorte', 'label': 'Standorte', 'isRepeating': True,
     'defaultRepetitions': 1, 'allowAddRemove': True, 'properties': {'label@en': 'Locations', 'minItems': '1', 'maxItems': '100'},
     'components': [text('strasse', 'Straße oder Platz', 'Street or square', True), number('anzahl', 'Anzahl Plakate', 'Number of posters', True, validate={'min': 1}, decimalDigits=0)]},
    group('verantwortlich', 'Verantwortlich für Auf- und Abbau', 'Responsible for putting up and taking down', [
        text('name', 'Name', 'Name', True), text('telefon', 'Telefon', 'Phone', True, validate={'maxLength': 40})]),
    check('bestaetigung', 'Ich beachte die Auflagen (nicht an Kreuzungen, Verkehrszeichen, Ampeln oder Bäumen) und entferne die Plakate fristgerecht.',
          'I follow the conditions (not at crossings, traffic signs, lights or on trees) and remove the posters in time.', True),
]))
write('plakatierung', form('plakatierung-pruefung', [
    info('hinweis', 'Prüfen Sie die Hinweise der Entscheidungstabelle und den Antrag.', 'Check the notes of the decision table and the application.'),
    choice('radio', 'entscheidung', 'Entscheidung', 'Decision', [('genehmigen', 'Erlaubnis erteilen', 'Grant the permit'),
           ('ablehnen', 'Ablehnen', 'Refuse'), ('nachfragen', 'Angaben nachfordern', 'Ask for missing information')]),
    area('auflagen', 'Auflagen', 'Conditions', conditional={'hide': '=entscheidung != "genehmigen"'}),
    area('begruendung', 'Begründung', 'Reasons', True, conditional={'hide': '=entscheidung != "ablehnen"'}),
    area('nachforderung', 'Was fehlt?', 'What is missing?', True, conditional={'hide': '=entscheidung != "nachfragen"'}),
]))
write('plakatierung', form('plakatierung-kontrolle', [
    check('entfernt', 'Alle Plakate sind entfernt.', 'All posters have been removed.'),
    area('bemerkung', 'Bemerkung', 'Remark'),
]))

write('negativbescheinigung', form('negativbescheinigung', [
    info('intro', 'Bescheinigung nach § 28 Abs. 1 Satz 3 BauGB, dass ein Vorkaufsrecht nicht besteht oder nicht ausgeübt wird (Negativzeugnis).',
         'Certificate under § 28 (1) sentence 3 BauGB that no pre-emption right exists or that it is not exercised.'),
    group('notar', 'Notarin / Notar', 'Notary', [
        text('name', 'Name', 'Name', True), text('amtssitz', 'Amtssitz', 'Official seat', True),
        en(text('email', 'E-Mail', 'E-mail', True, validate={'validationType': 'email'}), 'E-mail'),
        text('telefon', 'Telefon', 'Phone', True, validate={'maxLength': 40})]),
    group('vertrag', 'Kaufvertrag', 'Contract of sale', [
        text('urNr', 'Urkundenrollennummer (UR-Nr.)', 'Deed number', True, validate={'maxLength': 40}),
        date('datum', 'Datum des Vertrags', 'Date of the contract', True),
        date('eingangAmt', 'Vertrag dem Amt mitgeteilt am', 'Contract notified to the office on', True),
        text('verkaeufer', 'Verkäufer', 'Seller', True), text('kaeufer', 'Käufer', 'Buyer', True)]),
    group('grundstueck', 'Grundstück', 'Parcel', [
        # Free text: the form travels in the package to municipalities with other Gemarkungen.
        text('gemarkung', 'Gemarkung', 'Cadastral district', True, validate={'maxLength': 100}),
        {'type': 'dynamiclist', 'id': 'd_flurstuecke', 'path': 'flurstuecke', 'label': 'Flurstücke', 'isRepeating': True,
         'defaultRepetitions': 1, 'allowAddRemove': True, 'properties': {'label@en': 'Parcels', 'minItems': '1', 'maxItems': '50'},
         'components': [number('flur', 'Flur', 'Flur', True, validate={'min': 1}, decimalDigits=0),
                        text('flurstueck', 'Flurstück', 'Parcel number', True, validate={'pattern': '^[0-9]+(/[0-9]+)?$'})]},
        text('grundbuchVon', 'Grundbuch von', 'Land register of', True), text('blatt', 'Blatt', 'Folio', True),
        text('anschrift', 'Lage (Anschrift)', 'Address'),
        number('flaeche', 'Fläche in m²', 'Area in m²', True, validate={'min': 1}, decimalDigits=0)]),
    {'type': 'filepicker', 'key': 'vertragsdatei', 'id': 'f_vertragsdatei', 'label': 'Kaufvertrag (PDF)', 'accept': '.pdf',
     'validate': {'required': True}, 'properties': {'label@en': 'Contract of sale (PDF)'}},
]))
write('negativbescheinigung', form('vorkauf-ausuebung', [
    info('hinweis', 'Das Vorkaufsrecht kann nur binnen drei Monaten nach Mitteilung des Vertrags ausgeübt werden (§ 28 Abs. 2 Satz 1 BauGB).',
         'The right can only be exercised within three months of the notification of the contract (§ 28 (2) sentence 1 BauGB).'),
    choice('radio', 'ausueben', 'Vorkaufsrecht ausüben?', 'Exercise the pre-emption right?', [(True, 'Ja, Beschluss vorbereiten', 'Yes, prepare the council decision'), (False, 'Nein, Zeugnis erteilen', 'No, issue the certificate')]),
    area('begruendung', 'Begründung', 'Reasons', True),
]))

write('aufgrabegenehmigung', form('aufgrabe-vollstaendigkeit', [
    choice('radio', 'vollstaendig', 'Sind die Unterlagen vollständig?', 'Are the documents complete?', [(True, 'Ja', 'Yes'), (False, 'Nein, nachfordern', 'No, request them')]),
    area('nachforderung', 'Was fehlt?', 'What is missing?', True, conditional={'hide': '=vollstaendig != false'}),
]))
write('aufgrabegenehmigung', form('aufgrabe-technik', [
    area('auflagenTiefbau', 'Technische Auflagen (Wiederherstellung nach ZTV A-StB 12)', 'Technical conditions (restoration per ZTV A-StB 12)', True),
    number('sicherheitsleistung', 'Sicherheitsleistung in Euro', 'Security deposit in euros', validate={'min': 0}, decimalDigits=2),
]))
write('aufgrabegenehmigung', form('aufgrabe-anordnung', [
    area('anordnung', 'Verkehrsrechtliche Anordnung (§ 45 Abs. 6 StVO)', 'Traffic order (§ 45 (6) StVO)', True),
    check('beschilderungsplanGeprueft', 'Verkehrszeichenplan nach RSA 21 geprüft', 'Signage plan checked against RSA 21', True),
]))
write('aufgrabegenehmigung', form('aufgrabe-entscheidung', [
    choice('radio', 'genehmigt', 'Entscheidung', 'Decision', [(True, 'Genehmigen', 'Grant'), (False, 'Ablehnen', 'Refuse')]),
    area('begruendung', 'Begründung', 'Reasons', True, conditional={'hide': '=genehmigt != false'}),
]))
write('aufgrabegenehmigung', form('aufgrabe-nachfassen', [
    choice('radio', 'fertiggestellt', 'Arbeiten abgeschlossen?', 'Works finished?',
           [(True, 'Ja, vor Ort festgestellt', 'Yes, seen on site'), (False, 'Nein, Fertigstellungsanzeige abwarten', 'No, wait for the notice')]),
    area('bemerkungNachfassen', 'Bemerkung', 'Remark'),
]))
write('aufgrabegenehmigung', form('aufgrabe-abnahme', [
    check('abgenommen', 'Oberfläche ordnungsgemäß wiederhergestellt', 'Surface properly restored', True),
    date('abnahmedatum', 'Datum der Abnahme', 'Date of acceptance', True),
    area('maengel', 'Mängel', 'Defects'),
]))
