/**
 * A local receiver of OpenTelemetry spans over OTLP/HTTP
 * ({@link io.herald.infra.otlp.OtlpReceiver}), standing in for a collector in tests: it
 * decodes what services export and keeps it.
 */
@NullMarked
package io.herald.infra.otlp;

import org.jspecify.annotations.NullMarked;
