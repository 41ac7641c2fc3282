/** The Kafka Streams routing topology. */
@NullMarked
package io.herald.routing.topology;

import org.jspecify.annotations.NullMarked;
