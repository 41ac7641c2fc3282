/** The event status view behind {@code GET /v1/events/{eventId}}. */
@NullMarked
package io.herald.ingestion.status;

import org.jspecify.annotations.NullMarked;
