/**
 * The template catalog as ingestion sees it: every template events may name, followed from the
 * compacted {@code herald.templates} topic that routing publishes.
 */
@NullMarked
package io.herald.ingestion.template;

import org.jspecify.annotations.NullMarked;
