// What the form renderer otherwise loads only when a form needs it (FEEL,
// DOMPurify, marked), registered at once for the form editor (designer), which parses,
// evaluates and shows any field from the start (form-js-patches.ts imports
// this from form-js-editor's module).
import * as feelin from '@bpmn-io/feelin';
import DOMPurifyFull from 'dompurify';
import * as feelers from 'feelers';
import { marked } from 'marked';
import { registerFullFeel } from './formFeel';
import { registerMarked } from './formMarkdown';
import { registerPurify } from './formPurify';

registerFullFeel(feelin, feelers);
registerPurify(DOMPurifyFull);
registerMarked(marked);
