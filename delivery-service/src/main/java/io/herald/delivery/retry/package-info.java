/** Retry levels: when a failed send is tried again, and the retry topics that hold it until then. */
@NullMarked
package io.herald.delivery.retry;

import org.jspecify.annotations.NullMarked;
