/**
 * Provider receipts: what a provider reports about a message after it accepted it (a
 * Twilio status callback, a bounce or a complaint), turned into {@code delivered} or
 * {@code failed} statuses of the delivery it belongs to.
 */
@NullMarked
package io.herald.delivery.receipt;

import org.jspecify.annotations.NullMarked;
