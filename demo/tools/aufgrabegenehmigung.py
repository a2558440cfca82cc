"""Aufgrabegenehmigung: completeness check (with a request for missing
documents and a deadline), technical review by civil engineering and, when
the traffic is affected, the traffic order by the road traffic authority in
parallel; decision; permit as a Bescheid; start and completion notices;
acceptance of the restored surface; reminder before the warranty ends."""
import sys
from bpmn_gen import write
from zeebe import F, N, decision, job, message, script, timer, user_task

PARAMS = ('={satzAsphalt: 0.50, satzPflaster: 0.40, satzGehweg: 0.30, satzGruenflaeche: 0.10, '
          'mindestgebuehr: 50, kautionsfreiBisM2: 2, kautionProM2: 80, gewaehrleistungJahre: 5, nachreichfristTage: 14}')
ERINNERUNG = '=date and time(date(zeitraum.bis) + duration("P7D"), time("08:00:00@Europe/Berlin"))'
ANTRAG = ('={laenge: arbeiten.laenge, breite: arbeiten.breite, oberflaeche: arbeiten.oberflaeche, '
          'von: zeitraum.von, bis: zeitraum.bis, verkehrsbeschraenkung: verkehr.beschraenkung}')

nodes = [
    N('start', 'startEvent', 0, 1, 'Antrag eingegangen'),
    N('parameter', 'scriptTask', 1, 1, 'Satzungswerte setzen', ext=script(PARAMS, 'params')),
    N('bewerten', 'businessRuleTask', 2, 1, 'Gebühr, Sicherheit und Anordnung bestimmen',
      ext=decision('aufgrabung_bewertung', 'bewertung', {'antrag': ANTRAG})),
    N('merge', 'exclusiveGateway', 3, 1),
    N('vollstaendigkeit', 'userTask', 4, 1, 'Vollständigkeit prüfen',
      ext=user_task('=responsibleDepartment', 'aufgrabe-vollstaendigkeit', '=string(today() + duration("P3D")) + "T16:00:00Z"')),
    N('gw_vollstaendig', 'exclusiveGateway', 5, 1, 'Vollständig?', default='f_nein'),
    N('nachfordern', 'sendTask', 5, 3, 'Unterlagen nachfordern',
      ext=job('amtsweg:postfach-nachricht', headers={'vorlage': 'nachforderung'})),
    N('warten', 'eventBasedGateway', 4, 3),
    N('nachgereicht', 'intermediateCatchEvent', 3, 3, 'Unterlagen nachgereicht', inner=message('msg_nachgereicht')),
    N('frist', 'intermediateCatchEvent', 4, 4, 'Frist abgelaufen', inner=timer('timeDuration', '=duration("P" + string(params.nachreichfristTage) + "D")')),
    N('ablehnen_unvollst', 'sendTask', 3, 4, 'Ablehnung wegen fehlender Unterlagen',
      ext=job('amtsweg:bescheid', headers={'vorlage': 'ablehnung-unvollstaendig'})),
    N('ende_abgelehnt_unv', 'endEvent', 2, 4, 'Abgelehnt'),
    # Tiefbau always reviews (its flow's condition is always true); the road traffic authority as well when the
    # work needs a traffic order. A default flow would be taken only when no other condition holds.
    N('fork', 'inclusiveGateway', 6, 1, 'Wer prüft?'),
    N('tiefbau', 'userTask', 7, 0, 'Technische Prüfung (Tiefbau)',
      ext=user_task('tiefbau', 'aufgrabe-technik')),
    N('verkehr', 'userTask', 7, 2, 'Verkehrsrechtliche Anordnung',
      ext=user_task('verkehrsbehoerde', 'aufgrabe-anordnung')),
    N('join', 'inclusiveGateway', 8, 1),
    N('entscheiden', 'userTask', 9, 1, 'Entscheiden',
      ext=user_task('=responsibleDepartment', 'aufgrabe-entscheidung')),
    N('gw_entscheidung', 'exclusiveGateway', 10, 1, 'Genehmigt?', default='f_abgelehnt'),
    N('bescheid_ablehnung', 'sendTask', 10, 3, 'Ablehnungsbescheid senden',
      ext=job('amtsweg:bescheid', headers={'vorlage': 'ablehnung'})),
    N('ende_abgelehnt', 'endEvent', 11, 3, 'Abgelehnt'),
    N('bescheid', 'sendTask', 11, 1, 'Genehmigung mit Auflagen senden',
      ext=job('amtsweg:bescheid', headers={'vorlage': 'genehmigung'})),
    # The completion notice; a week after the period of the works without one, Tiefbau follows up (on
    # site or by phone): works finished -> acceptance, else the notice is awaited (no second reminder).
    N('warten_fertig', 'eventBasedGateway', 12, 1),
    N('fertig', 'intermediateCatchEvent', 13, 1, 'Fertigstellung angezeigt', inner=message('msg_fertig')),
    N('erinnerung', 'intermediateCatchEvent', 13, 2, 'Eine Woche nach dem Ende der Arbeiten',
      inner=timer('timeDate', ERINNERUNG)),
    N('nachfassen', 'userTask', 14, 2, 'Fertigstellung nachfragen', ext=user_task('tiefbau', 'aufgrabe-nachfassen')),
    N('gw_fertig', 'exclusiveGateway', 15, 2, 'Fertiggestellt?', default='f_nf_nein'),
    N('fertig_spaet', 'intermediateCatchEvent', 15, 3, 'Fertigstellung angezeigt', inner=message('msg_fertig')),
    N('merge_fertig', 'exclusiveGateway', 16, 1),
    N('abnahme', 'userTask', 17, 1, 'Oberfläche abnehmen', ext=user_task('tiefbau', 'aufgrabe-abnahme')),
    N('gewaehrleistung', 'intermediateCatchEvent', 18, 1, 'Gewährleistung endet in 2 Monaten',
      inner=timer('timeDuration', '=duration("P" + string(params.gewaehrleistungJahre) + "Y") - duration("P2M")')),
    N('begehung', 'userTask', 19, 1, 'Begehung vor Ende der Gewährleistung', ext=user_task('tiefbau')),
    # The release is a letter to the company (Bescheid worker); no worker type of its own exists.
    N('freigabe', 'sendTask', 20, 1, 'Sicherheitsleistung freigeben',
      ext=job('amtsweg:bescheid', headers={'vorlage': 'freigabe-sicherheitsleistung'})),
    N('ende', 'endEvent', 21, 1, 'Abgeschlossen'),
]
flows = [
    F('f1', 'start', 'parameter'), F('f2', 'parameter', 'bewerten'), F('f3', 'bewerten', 'merge'), F('f3b', 'merge', 'vollstaendigkeit'),
    F('f4', 'vollstaendigkeit', 'gw_vollstaendig'),
    F('f_ja', 'gw_vollstaendig', 'fork', 'ja', cond='=vollstaendig = true'),
    F('f_nein', 'gw_vollstaendig', 'nachfordern', 'nein'),
    F('f5', 'nachfordern', 'warten'), F('f6', 'warten', 'nachgereicht'), F('f7', 'warten', 'frist'),
    F('f8', 'nachgereicht', 'merge'), F('f9', 'frist', 'ablehnen_unvollst'),
    F('f10', 'ablehnen_unvollst', 'ende_abgelehnt_unv'),
    F('f_tiefbau', 'fork', 'tiefbau', 'immer', cond='=true'),
    F('f_verkehr', 'fork', 'verkehr', 'Anordnung nötig', cond='=bewertung.verkehrsrechtliche_anordnung = true'),
    F('f11', 'tiefbau', 'join'), F('f12', 'verkehr', 'join'), F('f13', 'join', 'entscheiden'),
    F('f14', 'entscheiden', 'gw_entscheidung'),
    F('f_genehmigt', 'gw_entscheidung', 'bescheid', 'ja', cond='=genehmigt = true'),
    F('f_abgelehnt', 'gw_entscheidung', 'bescheid_ablehnung', 'nein'),
    F('f15', 'bescheid_ablehnung', 'ende_abgelehnt'),
    F('f16', 'bescheid', 'warten_fertig'), F('f16a', 'warten_fertig', 'fertig'), F('f16b', 'warten_fertig', 'erinnerung'),
    F('f16c', 'erinnerung', 'nachfassen'), F('f16d', 'nachfassen', 'gw_fertig'),
    F('f_nf_ja', 'gw_fertig', 'merge_fertig', 'ja', cond='=fertiggestellt = true'),
    F('f_nf_nein', 'gw_fertig', 'fertig_spaet', 'nein'), F('f16e', 'fertig_spaet', 'merge_fertig'),
    F('f17', 'fertig', 'merge_fertig'), F('f17b', 'merge_fertig', 'abnahme'), F('f18', 'abnahme', 'gewaehrleistung'),
    F('f19', 'gewaehrleistung', 'begehung'), F('f20', 'begehung', 'freigabe'), F('f21', 'freigabe', 'ende'),
]
messages = [
    # The applicant's reply in the postbox publishes "angaben-nachgereicht" (postfach/README.md).
    {'id': 'msg_nachgereicht', 'name': 'angaben-nachgereicht', 'key': '=caseId'},
    {'id': 'msg_fertig', 'name': 'fertigstellung-angezeigt', 'key': '=caseId'},
]
write(sys.argv[1], 'aufgrabegenehmigung', 'Aufgrabegenehmigung', nodes, flows, messages)
