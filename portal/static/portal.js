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
// GOV.UK Frontend sets it on start, on every click and again on `pageshow`: taken off
// after each, as these listeners are added after its own.
dropExpanded()
document.addEventListener('click', dropExpanded)
window.addEventListener('pageshow', dropExpanded)
