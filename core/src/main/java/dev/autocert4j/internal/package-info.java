/**
 * The engine: keeping enrollments renewed, scheduling, plugin loading, input checks. Not API:
 * the module does not export it, and anything here may change in any release.
 */
package dev.autocert4j.internal;
