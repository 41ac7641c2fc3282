package io.herald.client;

/**
 * The answer to a suppression written with
 * {@link Users#suppress(String, Channel, SuppressionReason)}.
 *
 * @param applied {@code true} when reads show it already ({@code 200}); {@code false}
 * when it is durable and shows shortly ({@code 202})
 * @param suppression what is stored, or, when not yet applied, what was asked for
 */
public record SuppressionWrite(boolean applied, Suppression suppression) {
}
