/** The service's wiring: the clock, the topics it writes, body limits and how its consumers react to failures. */
@NullMarked
package io.herald.ingestion.system;

import org.jspecify.annotations.NullMarked;
