/** Accepting events: validation, publishing to the event log, the public endpoints. */
@NullMarked
package io.herald.ingestion.ingest;

import org.jspecify.annotations.NullMarked;
