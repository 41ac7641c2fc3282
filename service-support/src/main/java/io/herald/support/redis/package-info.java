/** Redis helpers. */
@NullMarked
package io.herald.support.redis;

import org.jspecify.annotations.NullMarked;
