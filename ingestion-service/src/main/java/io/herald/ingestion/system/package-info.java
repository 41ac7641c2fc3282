/** Cross-cutting pieces: error catalogue, problem details, topics, metrics. */
@NullMarked
package io.herald.ingestion.system;

import org.jspecify.annotations.NullMarked;
