/** Idempotency keys: one publish per key and tenant within the idempotency window. */
@NullMarked
package io.herald.ingestion.idempotency;

import org.jspecify.annotations.NullMarked;
