/**
 * The one-command local platform behind {@code ./platform up}: Kafka, Redis and every
 * service on one machine, configured through the environment variables of API.md section
 * 5.
 */
@NullMarked
package io.herald.localstack;

import org.jspecify.annotations.NullMarked;
