/**
 * autocert4j for Netty 4.2: {@link dev.autocert4j.netty.AcmeChallengeHandler} and
 * {@link dev.autocert4j.netty.NettyBindings}.
 */
package dev.autocert4j.netty;
