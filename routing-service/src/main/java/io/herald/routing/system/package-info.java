/** The wiring of the routing service: its topics. */
@NullMarked
package io.herald.routing.system;

import org.jspecify.annotations.NullMarked;
