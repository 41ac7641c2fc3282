/** Dead letters and topic settings. */
@NullMarked
package io.herald.support.kafka;

import org.jspecify.annotations.NullMarked;
