// What the form renderer otherwise loads only when a form needs it (FEEL,
// DOMPurify), registered at once for the form editor (designer), which parses,
// evaluates and shows any field from the start (form-js-patches.ts imports
// this from form-js-editor's module).
import * as feelin from '@bpmn-io/feelin';
import DOMPurifyFull from 'dompurify';
import * as feelers from 'feelers';
import { registerFullFeel } from './formFeel';
import { registerPurify } from './formPurify';

registerFullFeel(feelin, feelers);
registerPurify(DOMPurifyFull);
