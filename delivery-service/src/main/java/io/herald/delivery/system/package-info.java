/** Wiring: topics, consumer error handling and the operator endpoints. */
@NullMarked
package io.herald.delivery.system;

import org.jspecify.annotations.NullMarked;
