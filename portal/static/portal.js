// GOV.UK Frontend's components (service navigation menu, error summary focus, ...).
// Everything works without it; this only adds the enhancements.
import { initAll } from './govuk-frontend.min.js'

initAll()

// A radio that reveals a follow-up question gets aria-expanded from GOV.UK Frontend,
// which ARIA does not allow on a radio (axe: aria-allowed-attr). The revealed question
// follows its radio in reading order, so nothing is lost by taking it off again.
const dropExpanded = () => document
  .querySelectorAll('input[type=radio][aria-expanded]')
  .forEach((input) => input.removeAttribute('aria-expanded'))
dropExpanded()
document.addEventListener('click', dropExpanded)
