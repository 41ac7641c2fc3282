/**
 * The topics this service declares, the body limit, browser origins, answers when a store
 * is down, and the heap.
 */
@NullMarked
package io.herald.gateway.system;

import org.jspecify.annotations.NullMarked;
