"""Negativbescheinigung / Negativzeugnis (§ 28 Abs. 1 Satz 3 BauGB): the
pre-emption check over the areas the municipality maintains (DMN). Without
a right the certificate goes out at once. With one, the building office
decides whether to exercise it; a timer escalates to the head of office
after two months, and after three months from the notification of the
contract (§ 28 Abs. 2 Satz 1 BauGB) the right has lapsed and the
certificate is issued."""
import sys
from bpmn_gen import write
from zeebe import F, N, decision, job, script, timer, user_task

PARAMS = ('={gebiete: [{name: "Bebauungsplan Nr. 12 Schulerweiterung", art: "gemeinbedarf", gemarkung: "Musterdorf", '
          'flurstuecke: ["3/17", "3/18"]}, {name: "Sanierungsgebiet Ortskern", art: "sanierungsgebiet", '
          'gemarkung: "Musterdorf", flurstuecke: ["1/4", "1/5", "3/18"]}, {name: "Vorkaufsrechtssatzung Hafen", '
          'art: "satzung", gemarkung: "Neuhof", flurstuecke: ["7/1", "7/2"]}]}')
GRUNDSTUECK = '={gemarkung: grundstueck.gemarkung, flurstuecke: grundstueck.flurstuecke}'
# § 28 Abs. 2 BauGB: three months from the notification; by § 188 Abs. 2 BGB the period ends with the
# end of the day of the third month that has the notification day's number, so the right lapses at the
# start of the next day (notified 1 March: exercisable until 1 June 24:00, lapsed 2 June 00:00).
ABLAUF = '=date and time(date(vertrag.eingangAmt) + duration("P3M") + duration("P1D"), time("00:00:00@Europe/Berlin"))'
ESKALATION = '=date and time(date(vertrag.eingangAmt) + duration("P2M"), time("08:00:00@Europe/Berlin"))'

nodes = [
    N('start', 'startEvent', 0, 1, 'Antrag eingegangen'),
    N('parameter', 'scriptTask', 1, 1, 'Gebiete laden', ext=script(PARAMS, 'params')),
    N('pruefung', 'businessRuleTask', 2, 1, 'Vorkaufsrecht prüfen',
      ext=decision('vorkaufsrecht_pruefung', 'vorkaufsrecht', {'grundstueck': GRUNDSTUECK, 'params': '=params'})),
    N('gw_besteht', 'exclusiveGateway', 3, 1, 'Vorkaufsrecht besteht?', default='f_nein'),
    N('zeugnis', 'sendTask', 4, 0, 'Negativzeugnis ausstellen', ext=job('amtsweg:bescheid', headers={'vorlage': 'negativzeugnis'})),
    N('ende_zeugnis', 'endEvent', 5, 0, 'Zeugnis erteilt'),
    N('ausuebung', 'userTask', 4, 2, 'Ausübung prüfen', ext=user_task('=responsibleDepartment', 'vorkauf-ausuebung')),
    N('eskalation', 'boundaryEvent', 0, 0, 'Zwei Monate vergangen', attached='ausuebung', interrupting=False,
      inner=timer('timeDate', ESKALATION)),
    N('amtsleitung', 'userTask', 5, 3, 'Frist überwachen (Amtsleitung)', ext=user_task('amtsleitung')),
    N('ende_info', 'endEvent', 6, 3, 'Informiert'),
    N('erloschen', 'boundaryEvent', 0, 0, 'Drei Monate abgelaufen', attached='ausuebung', slot=1,
      inner=timer('timeDate', ABLAUF)),
    N('gw_ausueben', 'exclusiveGateway', 5, 2, 'Ausüben?', default='f_nicht'),
    N('beschluss', 'userTask', 6, 1, 'Beschluss der Gemeindevertretung vorbereiten', ext=user_task('=responsibleDepartment')),
    N('ausuebungsbescheid', 'sendTask', 7, 1, 'Ausübungsbescheid senden', ext=job('amtsweg:bescheid', headers={'vorlage': 'ausuebung'})),
    N('ende_ausgeuebt', 'endEvent', 8, 1, 'Vorkaufsrecht ausgeübt'),
    N('merge_nicht', 'exclusiveGateway', 6, 2),
    N('zeugnis2', 'sendTask', 7, 2, 'Zeugnis über Nichtausübung ausstellen',
      ext=job('amtsweg:bescheid', headers={'vorlage': 'nichtausuebung'})),
    N('ende_nicht', 'endEvent', 8, 2, 'Zeugnis erteilt'),
]
flows = [
    F('f1', 'start', 'parameter'), F('f2', 'parameter', 'pruefung'), F('f3', 'pruefung', 'gw_besteht'),
    F('f_nein', 'gw_besteht', 'zeugnis', 'nein'),
    F('f_ja', 'gw_besteht', 'ausuebung', 'ja', cond='=vorkaufsrecht.besteht = true'),
    F('f4', 'zeugnis', 'ende_zeugnis'), F('f5', 'eskalation', 'amtsleitung'), F('f6', 'amtsleitung', 'ende_info'),
    F('f7', 'erloschen', 'merge_nicht'),
    F('f8', 'ausuebung', 'gw_ausueben'),
    F('f_ausueben', 'gw_ausueben', 'beschluss', 'ja', cond='=ausueben = true'),
    F('f_nicht', 'gw_ausueben', 'merge_nicht', 'nein'), F('f12', 'merge_nicht', 'zeugnis2'),
    F('f9', 'beschluss', 'ausuebungsbescheid'), F('f10', 'ausuebungsbescheid', 'ende_ausgeuebt'),
    F('f11', 'zeugnis2', 'ende_nicht'),
]
write(sys.argv[1], 'negativbescheinigung', 'Negativbescheinigung nach § 28 BauGB', nodes, flows)
