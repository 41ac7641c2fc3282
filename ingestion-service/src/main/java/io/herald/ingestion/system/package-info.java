/** The service's wiring: the topics it writes and body limits. */
@NullMarked
package io.herald.ingestion.system;

import org.jspecify.annotations.NullMarked;
