// Parses a DCAT-AP.de catalogue given as Turtle and as JSON-LD, checks that
// both carry the same triples, and validates the data against the official
// SHACL shapes: SEMIC DCAT-AP 3.0 plus GovData's DCAT-AP.de 3.0 shape files
// (the profile GovData's validator calls v30_de_spec).
//
//   node check.mjs --schemas DIR --turtle FILE.ttl --jsonld FILE.jsonld
//
// DIR is shared/schemas (dcat-ap/, dcat-ap-de/). Prints one JSON object:
// {turtleTriples, jsonldTriples, sameTriples, conforms, violations[], warnings[], notes[]}
// and exits 0 when parsing succeeded (the caller judges the report), 2 on usage
// or parse errors.
//
// Controlled vocabularies: the vendored lists (dcat-ap-de/vocab: contributors,
// licences, EU file types and data themes) are loaded into the data graph. For
// the vocabularies that are not vendored (planned availability, frequency,
// language, political geocoding, publisher types) a code counts as in its
// scheme when its IRI lies in the scheme's namespace; so does a code missing
// from a (dated) vendored list, which is then reported as a note.
import fs from 'node:fs';
import path from 'node:path';
import { Parser as N3Parser, DataFactory } from 'n3';
import jsonld from 'jsonld';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import factory from '@rdfjs/dataset';
import SHACLValidator from 'rdf-validate-shacl';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
if (!args.schemas || !args.turtle || !args.jsonld) {
  console.error('usage: node check.mjs --schemas DIR --turtle FILE.ttl --jsonld FILE.jsonld');
  process.exit(2);
}

const SKOS = 'http://www.w3.org/2004/02/skos/core#';
const { namedNode, quad } = DataFactory;

function parseTurtle(text, baseIRI) {
  return new N3Parser({ baseIRI }).parse(text);
}
function parseRdfXml(text, baseIRI) {
  return new Promise((resolve, reject) => {
    const out = [];
    const p = new RdfXmlParser({ baseIRI });
    p.on('data', (q) => out.push(q));
    p.on('error', reject);
    p.on('end', () => resolve(out));
    p.write(text);
    p.end();
  });
}
const key = (q) => `${q.subject.value} ${q.predicate.value} ${q.object.termType}:${q.object.value}` +
  (q.object.termType === 'Literal' ? `@${q.object.language}^^${q.object.datatype.value}` : '');

let turtleQuads;
let jsonldQuads;
try {
  turtleQuads = parseTurtle(fs.readFileSync(args.turtle, 'utf8'));
} catch (e) {
  console.error(`Turtle does not parse: ${e.message}`);
  process.exit(2);
}
try {
  const doc = JSON.parse(fs.readFileSync(args.jsonld, 'utf8'));
  const nquads = await jsonld.toRDF(doc, { format: 'application/n-quads', safe: true });
  jsonldQuads = new N3Parser({ format: 'N-Quads' }).parse(nquads);
} catch (e) {
  console.error(`JSON-LD does not parse: ${e.message}`);
  process.exit(2);
}
const tKeys = new Set(turtleQuads.map(key));
const jKeys = new Set(jsonldQuads.map(key));
const sameTriples = tKeys.size === jKeys.size && [...tKeys].every((k) => jKeys.has(k));

// Shapes.
const shapes = factory.dataset();
const shapeFiles = [
  'dcat-ap/dcat-ap-SHACL.ttl',
  'dcat-ap-de/dcat-ap-SHACL-DE.ttl',
  'dcat-ap-de/dcat-ap-spec-german-additions.ttl',
  'dcat-ap-de/dcat-ap-de-deprecated.ttl',
  'dcat-ap-de/dcat-ap-de-controlledvocabularies.ttl',
];
for (const f of shapeFiles) {
  for (const q of parseTurtle(fs.readFileSync(path.join(args.schemas, f), 'utf8'), `file:///${f}`)) shapes.add(q);
}

// Data: the catalogue, the vendored vocabularies and the ontologies GovData's validator mirrors.
const data = factory.dataset();
for (const q of turtleQuads) data.add(q);
const vocabDir = path.join(args.schemas, 'dcat-ap-de');
const vocabFiles = ['vocab/data-theme-skos-ap-act.ttl', 'vocab/filetypes-skos-ap-act.ttl',
  'vocab/dcat-ap-de-contributors.rdf', 'vocab/dcat-ap-de-licenses-open.rdf',
  'mirror/org.ttl', 'mirror/vcard.ttl', 'mirror/foaf_0_1.rdf'];
const vendored = new Set();
for (const f of vocabFiles) {
  const file = path.join(vocabDir, f);
  if (!fs.existsSync(file)) continue;
  const text = fs.readFileSync(file, 'utf8');
  const quads = f.endsWith('.rdf') ? await parseRdfXml(text, `file:///${f}`) : parseTurtle(text, `file:///${f}`);
  for (const q of quads) {
    data.add(q);
    if (q.predicate.value === `${SKOS}inScheme`) vendored.add(q.subject.value);
  }
}
// Scheme namespaces: IRIs under them are codes of that scheme.
const schemes = [
  'http://publications.europa.eu/resource/authority/planned-availability',
  'http://publications.europa.eu/resource/authority/frequency',
  'http://publications.europa.eu/resource/authority/language',
  'http://publications.europa.eu/resource/authority/file-type',
  'http://publications.europa.eu/resource/authority/data-theme',
  'http://purl.org/adms/publishertype',  // scheme IRI .../publishertype/1.0 (below)
  'http://dcat-ap.de/def/politicalGeocoding/Level',
  'http://dcat-ap.de/def/contributors',
  'http://dcat-ap.de/def/licenses',
];
const notes = [];
for (const q of turtleQuads) {
  if (q.object.termType !== 'NamedNode') continue;
  const iri = q.object.value;
  const scheme = schemes.find((s) => iri.startsWith(`${s}/`));
  if (!scheme || vendored.has(iri)) continue;
  if (scheme.startsWith('http://dcat-ap.de/def/contributors') || scheme.startsWith('http://dcat-ap.de/def/licenses') ||
      scheme.endsWith('/file-type') || scheme.endsWith('/data-theme')) {
    notes.push(`${iri} is not in the vendored list of ${scheme} (dated); accepted by namespace`);
  }
  const schemeIri = scheme === 'http://purl.org/adms/publishertype' ? `${scheme}/1.0` : scheme;
  data.add(quad(namedNode(iri), namedNode(`${SKOS}inScheme`), namedNode(schemeIri)));
}

const validator = new SHACLValidator(shapes);
const report = await validator.validate(data);
const violations = [];
const warnings = [];
for (const r of report.results) {
  const item = {
    severity: r.severity?.value.split('#')[1],
    focus: r.focusNode?.value,
    path: r.path?.value,
    value: r.value?.value,
    message: r.message.map((m) => m.value).join(' / '),
  };
  (item.severity === 'Violation' ? violations : warnings).push(item);
}
console.log(JSON.stringify({
  turtleTriples: tKeys.size,
  jsonldTriples: jKeys.size,
  sameTriples,
  conforms: violations.length === 0,
  violations,
  warnings,
  notes,
}, null, 1));
