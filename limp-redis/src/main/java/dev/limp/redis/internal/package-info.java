/**
 * The fleet's implementation: the Redis link and scripts, the message format, the mirror that keeps an
 * instance's overrides equal to the fleet's, the heartbeats and the fleet rule's signal. Not API: may change
 * without notice.
 */
package dev.limp.redis.internal;
