/**
 * The CAA check made before an order (RFC 8659, RFC 8657): the records' wire form, the grammar of
 * their values, the search for the relevant record set and its verdict. Everything read from DNS is
 * treated as hostile: a record that cannot be read refuses issuance, never throws anything else.
 */
package dev.autocert4j.internal.caa;
