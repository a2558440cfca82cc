"""Writes a BPMN 2.0 file with Zeebe extensions and a diagram (DI) from a
compact description: nodes on a grid (column, row) and flows. Used to keep
the demo processes readable as data; the generated .bpmn files are the
source of truth that is deployed, versioned and opened in the designer."""
from xml.sax.saxutils import escape, quoteattr

SIZES = {
    'startEvent': (36, 36), 'endEvent': (36, 36), 'intermediateCatchEvent': (36, 36),
    'intermediateThrowEvent': (36, 36), 'boundaryEvent': (36, 36),
    'exclusiveGateway': (50, 50), 'parallelGateway': (50, 50), 'inclusiveGateway': (50, 50),
    'eventBasedGateway': (50, 50),
}
COL, ROW, X0, Y0 = 170, 130, 150, 100


def size(kind):
    return SIZES.get(kind, (100, 80))


def center(n):
    w, h = size(n['kind'])
    return X0 + n['col'] * COL + 50, Y0 + n['row'] * ROW + 40


def bounds(n):
    cx, cy = center(n)
    w, h = size(n['kind'])
    if n['kind'] == 'boundaryEvent':
        host = n['host_node']
        hx, hy = center(host)
        return hx - 50 + 20 + n.get('slot', 0) * 44 - 18, hy + 40 - 18, w, h
    return cx - w // 2, cy - h // 2, w, h


def write(path, proc_id, name, nodes, flows, messages=(), extra_defs=''):
    by_id = {n['id']: n for n in nodes}
    for n in nodes:
        if n['kind'] == 'boundaryEvent':
            n['host_node'] = by_id[n['attached']]
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
           'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
           'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" '
           'xmlns:modeler="http://camunda.org/schema/modeler/1.0" '
           f'id="Definitions_{proc_id}" targetNamespace="https://amtsweg.de/bpmn/{proc_id}" '
           'exporter="amtsweg demo/tools/bpmn_gen.py" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.6.0">']
    for m in messages:
        out.append(f'  <bpmn:message id="{m["id"]}" name="{m["name"]}"><bpmn:extensionElements>'
                   f'<zeebe:subscription correlationKey={quoteattr(m["key"])}/></bpmn:extensionElements></bpmn:message>')
    out.append(f'  <bpmn:process id="{proc_id}" name={quoteattr(name)} isExecutable="true">')
    incoming = {n['id']: [] for n in nodes}
    outgoing = {n['id']: [] for n in nodes}
    for f in flows:
        outgoing[f['from']].append(f['id'])
        incoming[f['to']].append(f['id'])
    for n in nodes:
        attrs = f' id="{n["id"]}"'
        if n.get('name'):
            attrs += f' name={quoteattr(n["name"])}'
        if n['kind'] == 'boundaryEvent':
            attrs += f' attachedToRef="{n["attached"]}"'
            if n.get('interrupting') is False:
                attrs += ' cancelActivity="false"'
        if n.get('default'):
            attrs += f' default="{n["default"]}"'
        body = ''
        if n.get('ext'):
            body += f'<bpmn:extensionElements>{n["ext"]}</bpmn:extensionElements>'
        body += ''.join(f'<bpmn:incoming>{i}</bpmn:incoming>' for i in incoming[n['id']])
        body += ''.join(f'<bpmn:outgoing>{o}</bpmn:outgoing>' for o in outgoing[n['id']])
        body += n.get('inner', '')
        out.append(f'    <bpmn:{n["kind"]}{attrs}>{body}</bpmn:{n["kind"]}>')
    for f in flows:
        attrs = f' id="{f["id"]}" sourceRef="{f["from"]}" targetRef="{f["to"]}"'
        if f.get('name'):
            attrs += f' name={quoteattr(f["name"])}'
        if f.get('cond'):
            out.append(f'    <bpmn:sequenceFlow{attrs}><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" '
                       f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">{escape(f["cond"])}</bpmn:conditionExpression></bpmn:sequenceFlow>')
        else:
            out.append(f'    <bpmn:sequenceFlow{attrs}/>')
    out.append('  </bpmn:process>')
    out.append(extra_defs)
    out.append(f'  <bpmndi:BPMNDiagram id="BPMNDiagram_{proc_id}"><bpmndi:BPMNPlane id="BPMNPlane_{proc_id}" bpmnElement="{proc_id}">')
    for n in nodes:
        x, y, w, h = bounds(n)
        marker = ' isMarkerVisible="true"' if n['kind'] == 'exclusiveGateway' else ''
        out.append(f'    <bpmndi:BPMNShape id="{n["id"]}_di" bpmnElement="{n["id"]}"{marker}><dc:Bounds x="{x}" y="{y}" width="{w}" height="{h}"/></bpmndi:BPMNShape>')
    for f in flows:
        a, b = by_id[f['from']], by_id[f['to']]
        ax, ay, aw, ah = bounds(a)
        bx, by_, bw, bh = bounds(b)
        if a['kind'] == 'boundaryEvent':
            start = (ax + aw // 2, ay + ah)
        else:
            start = (ax + aw, ay + ah // 2)
        end = (bx, by_ + bh // 2) if bx > ax else (bx + bw // 2, by_ + bh if by_ < ay else by_)
        pts = [start]
        if start[1] != end[1]:
            pts.append((start[0] + 20 if bx > ax else start[0], start[1]) if a['kind'] != 'boundaryEvent' else (start[0], end[1]))
            if a['kind'] != 'boundaryEvent':
                pts.append((pts[-1][0], end[1]))
        pts.append(end)
        wps = ''.join(f'<di:waypoint x="{px}" y="{py}"/>' for px, py in pts)
        out.append(f'    <bpmndi:BPMNEdge id="{f["id"]}_di" bpmnElement="{f["id"]}">{wps}</bpmndi:BPMNEdge>')
    out.append('  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>')
    out.append('</bpmn:definitions>')
    with open(path, 'w', encoding='utf-8') as fh:
        fh.write('\n'.join(x for x in out if x) + '\n')
