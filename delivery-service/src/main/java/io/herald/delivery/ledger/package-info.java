/**
 * The send ledger: the idempotency record of every send, in Redis, written before a
 * provider is called.
 */
@NullMarked
package io.herald.delivery.ledger;

import org.jspecify.annotations.NullMarked;
