/** The routing service. */
@NullMarked
package io.herald.routing;

import org.jspecify.annotations.NullMarked;
