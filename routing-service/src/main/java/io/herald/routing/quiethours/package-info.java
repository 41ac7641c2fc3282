/** Quiet hours in the user's timezone. */
@NullMarked
package io.herald.routing.quiethours;

import org.jspecify.annotations.NullMarked;
