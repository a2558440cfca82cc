// Parses and serialises a BPMN model once, as bpmn-engine's documentation shows
// for reusing a model across engines (the `sourceContext` option).
import BpmnModdle from 'bpmn-moddle';
import * as elements from 'bpmn-elements';
import serializer, { TypeResolver } from 'moddle-context-serializer';

const typeResolver = TypeResolver(elements);

export async function getSourceContext(xml) {
  const moddleContext = await new BpmnModdle().fromXML(xml);
  return serializer(moddleContext, typeResolver);
}
