/** Templates per id, channel and locale, rendered with Mustache. */
@NullMarked
package io.herald.routing.template;

import org.jspecify.annotations.NullMarked;
