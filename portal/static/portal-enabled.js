// Runs first in <body>: lets GOV.UK Frontend's styles know that JavaScript is on.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
