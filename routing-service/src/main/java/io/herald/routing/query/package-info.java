/**
 * Reads of routing's state stores wherever a key lives: locally for this instance's
 * partitions, else from the instance that owns the key over the internal actuator
 * endpoints, with the instances' shared token ({@code StoreReads},
 * {@code InternalAnswers}, {@code InternalApiProperties}). The user and template APIs
 * read through it.
 */
@NullMarked
package io.herald.routing.query;

import org.jspecify.annotations.NullMarked;
