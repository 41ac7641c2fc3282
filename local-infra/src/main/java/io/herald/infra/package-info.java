/**
 * Real infrastructure for local runs and integration tests: a single-node Kafka broker in
 * KRaft mode inside the JVM ({@link io.herald.infra.KafkaBroker}), a {@code redis-server}
 * child process ({@link io.herald.infra.RedisServer}), free ports
 * ({@link io.herald.infra.FreePorts}) and a per-JVM shared pair for tests
 * ({@link io.herald.infra.SharedInfra}). Local provider servers are in
 * {@code io.herald.infra.sandbox}. Nothing here is a mock.
 */
@NullMarked
package io.herald.infra;

import org.jspecify.annotations.NullMarked;
