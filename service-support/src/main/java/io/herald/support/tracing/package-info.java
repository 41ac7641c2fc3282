/** Trace context on Kafka records, for the stages that no Spring observation covers. */
@NullMarked
package io.herald.support.tracing;

import org.jspecify.annotations.NullMarked;
