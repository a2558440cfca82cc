"""Plakatierung (poster permit, § 21 StrWG SH): admissibility notes and fee
by DMN, review by the public-order office (with a request for missing
information), permit or refusal as a Bescheid, reminder to remove the
posters after the period, follow-up if they are still up."""
import sys
from bpmn_gen import write
from zeebe import F, N, decision, job, message, script, timer, user_task

PARAMS = ('={wahlwerbungWochenVorWahl: 6, hoechstzahlPlakate: 150, hoechstdauerTage: 21, '
          'mindestgebuehr: 25, satzProPlakatUndTag: 0.10, entfernungsfristTage: 3, nachreichfristTage: 14}')
ANTRAG = '={zweck: zweck, von: zeitraum.von, bis: zeitraum.bis, anzahl: plakate.anzahl, wahltag: if zweck = "wahlwerbung" then wahltag else null}'

nodes = [
    N('start', 'startEvent', 0, 1, 'Antrag eingegangen'),
    N('parameter', 'scriptTask', 1, 1, 'Satzungswerte setzen', ext=script(PARAMS, 'params')),
    N('bewerten', 'businessRuleTask', 2, 1, 'Hinweise und Gebühr bestimmen',
      ext=decision('plakatierung_bewertung', 'bewertung', {'antrag': ANTRAG})),
    N('merge', 'exclusiveGateway', 3, 1),
    N('pruefen', 'userTask', 4, 1, 'Antrag prüfen',
      ext=user_task('=responsibleDepartment', 'plakatierung-pruefung')),
    N('gw', 'exclusiveGateway', 5, 1, 'Ergebnis?', default='f_nachfragen'),
    N('nachfragen', 'sendTask', 5, 3, 'Angaben nachfordern',
      ext=job('amtsweg:postfach-nachricht', headers={'vorlage': 'nachforderung'})),
    N('warten', 'eventBasedGateway', 4, 3),
    N('nachgereicht', 'intermediateCatchEvent', 3, 3, 'Angaben nachgereicht', inner=message('msg_nachgereicht')),
    N('frist', 'intermediateCatchEvent', 4, 4, 'Frist abgelaufen',
      inner=timer('timeDuration', '=duration("P" + string(params.nachreichfristTage) + "D")')),
    N('ablehnen_unv', 'sendTask', 3, 4, 'Ablehnung wegen fehlender Angaben',
      ext=job('amtsweg:bescheid', headers={'vorlage': 'ablehnung-unvollstaendig'})),
    N('ende_unv', 'endEvent', 2, 4, 'Abgelehnt'),
    N('ablehnung', 'sendTask', 6, 2, 'Ablehnungsbescheid senden', ext=job('amtsweg:bescheid', headers={'vorlage': 'ablehnung'})),
    N('ende_abgelehnt', 'endEvent', 7, 2, 'Abgelehnt'),
    N('genehmigung', 'sendTask', 6, 0, 'Erlaubnis mit Auflagen senden', ext=job('amtsweg:bescheid', headers={'vorlage': 'erlaubnis'})),
    N('ablauf', 'intermediateCatchEvent', 7, 0, 'Entfernungsfrist abgelaufen',
      inner=timer('timeDate', '=date and time(date(zeitraum.bis) + duration("P" + string(params.entfernungsfristTage + 1) + "D"), time("08:00:00@Europe/Berlin"))')),
    N('kontrolle', 'userTask', 8, 0, 'Entfernung kontrollieren', ext=user_task('=responsibleDepartment', 'plakatierung-kontrolle')),
    N('gw_entfernt', 'exclusiveGateway', 9, 0, 'Entfernt?', default='f_nicht_entfernt'),
    N('ende', 'endEvent', 10, 0, 'Erledigt'),
    N('mahnung', 'sendTask', 9, 2, 'Zur Entfernung auffordern (Ersatzvornahme androhen)',
      ext=job('amtsweg:bescheid', headers={'vorlage': 'aufforderung-entfernung'})),
    N('ende_mahnung', 'endEvent', 10, 2, 'Aufforderung versandt'),
]
flows = [
    F('f1', 'start', 'parameter'), F('f2', 'parameter', 'bewerten'), F('f3', 'bewerten', 'merge'),
    F('f4', 'merge', 'pruefen'), F('f5', 'pruefen', 'gw'),
    F('f_genehmigt', 'gw', 'genehmigung', 'genehmigen', cond='=entscheidung = "genehmigen"'),
    F('f_abgelehnt', 'gw', 'ablehnung', 'ablehnen', cond='=entscheidung = "ablehnen"'),
    F('f_nachfragen', 'gw', 'nachfragen', 'nachfragen'),
    F('f6', 'nachfragen', 'warten'), F('f7', 'warten', 'nachgereicht'), F('f8', 'warten', 'frist'),
    F('f9', 'nachgereicht', 'merge'), F('f10', 'frist', 'ablehnen_unv'), F('f11', 'ablehnen_unv', 'ende_unv'),
    F('f12', 'ablehnung', 'ende_abgelehnt'),
    F('f13', 'genehmigung', 'ablauf'), F('f14', 'ablauf', 'kontrolle'), F('f15', 'kontrolle', 'gw_entfernt'),
    F('f_entfernt', 'gw_entfernt', 'ende', 'ja', cond='=entfernt = true'),
    F('f_nicht_entfernt', 'gw_entfernt', 'mahnung', 'nein'), F('f16', 'mahnung', 'ende_mahnung'),
]
messages = [{'id': 'msg_nachgereicht', 'name': 'angaben-nachgereicht', 'key': '=caseId'}]
write(sys.argv[1], 'plakatierung', 'Plakatierung', nodes, flows, messages)
