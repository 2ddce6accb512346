/**
 * Let's Encrypt for a portal on Jetty, Tomcat, a servlet container or Netty: the glue each server
 * needs, quoted in README and run against Pebble by the examples' tests.
 */
package dev.autocert4j.examples.servers;
