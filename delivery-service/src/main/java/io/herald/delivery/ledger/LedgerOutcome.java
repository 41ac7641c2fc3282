package io.herald.delivery.ledger;

import org.jspecify.annotations.Nullable;

/**
 * The final outcome of a send, as the ledger keeps it so that a redelivered request can
 * report it again without calling the provider.
 *
 * @param sent whether the provider accepted it ({@code false}: rejected for good)
 * @param provider the provider that answered
 * @param providerId the provider's message id, when sent
 * @param reason why it was rejected, when not sent
 */
public record LedgerOutcome(boolean sent, String provider, @Nullable String providerId, @Nullable String reason) {
}
