/**
 * One-click unsubscription (RFC 8058): the public endpoint behind the signed links of
 * {@code List-Unsubscribe}, its pages, and its metrics.
 */
@NullMarked
package io.herald.routing.unsubscribe;

import org.jspecify.annotations.NullMarked;
