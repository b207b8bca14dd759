// GOV.UK Frontend's components (service navigation menu, error summary focus, ...).
// Everything works without it; this only adds the enhancements.
import { initAll } from './govuk-frontend.min.js'

initAll()
