/**
 * What becomes of a send that did not go out, read from the typed causes of its outcomes
 * (report, next provider, fallback channel, retry, postpone, dead letter), and the retry
 * topics that hold a request until its next try.
 */
@NullMarked
package io.herald.delivery.retry;

import org.jspecify.annotations.NullMarked;
