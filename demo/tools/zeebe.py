"""Zeebe extension snippets for bpmn_gen."""
from xml.sax.saxutils import quoteattr


def user_task(groups, form=None, due=None):
    s = f'<zeebe:assignmentDefinition candidateGroups={quoteattr(groups)}/>'
    if due:
        s += f'<zeebe:taskSchedule dueDate={quoteattr(due)}/>'
    if form:
        s += f'<zeebe:formDefinition formKey="{form}"/>'
    return s


def job(type_, retries=3, headers=None, inputs=None, outputs=None):
    s = f'<zeebe:taskDefinition type="{type_}" retries="{retries}"/>'
    if headers:
        s += '<zeebe:taskHeaders>' + ''.join(f'<zeebe:header key="{k}" value={quoteattr(v)}/>' for k, v in headers.items()) + '</zeebe:taskHeaders>'
    return s + io(inputs, outputs)


def io(inputs=None, outputs=None):
    if not inputs and not outputs:
        return ''
    s = '<zeebe:ioMapping>'
    s += ''.join(f'<zeebe:input source={quoteattr(src)} target="{t}"/>' for t, src in (inputs or {}).items())
    s += ''.join(f'<zeebe:output source={quoteattr(src)} target="{t}"/>' for t, src in (outputs or {}).items())
    return s + '</zeebe:ioMapping>'


def decision(decision_id, result, inputs=None):
    return f'<zeebe:calledDecision decisionId="{decision_id}" resultVariable="{result}"/>' + io(inputs)


def script(expr, result):
    return f'<zeebe:script expression={quoteattr(expr)} resultVariable="{result}"/>'


def timer(kind, expr):
    # kind: timeDuration | timeDate | timeCycle
    return (f'<bpmn:timerEventDefinition><bpmn:{kind} xsi:type="bpmn:tFormalExpression" '
            f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">{expr}</bpmn:{kind}></bpmn:timerEventDefinition>')


def message(ref):
    return f'<bpmn:messageEventDefinition messageRef="{ref}"/>'


def N(id_, kind, col, row, name='', **kw):
    d = {'id': id_, 'kind': kind, 'col': col, 'row': row, 'name': name}
    d.update(kw)
    return d


def F(id_, a, b, name='', cond=None):
    d = {'id': id_, 'from': a, 'to': b, 'name': name}
    if cond:
        d['cond'] = cond
    return d
