/**
 * The template catalog as ingestion sees it: every template events may name, shared or a
 * tenant's own, followed from the compacted {@code herald.templates} topic that routing
 * publishes, and synced with it before a request's events are checked.
 */
@NullMarked
package io.herald.ingestion.template;

import org.jspecify.annotations.NullMarked;
