/**
 * Telling a person when a certificate needs attention: {@link dev.autocert4j.notify.WebhookNotifier}
 * POSTs JSON to a webhook (a chat tool's incoming webhook, an alerting system) when renewal fails
 * or a certificate is close to expiry while renewal keeps failing.
 */
package dev.autocert4j.notify;
