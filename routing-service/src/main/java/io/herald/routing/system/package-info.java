/** Cross-cutting pieces: error catalogue, problem details, API keys, topics. */
@NullMarked
package io.herald.routing.system;

import org.jspecify.annotations.NullMarked;
