package io.herald.delivery.ledger;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The send ledger.
 *
 * @param lease how long a claimed send belongs to the worker that claimed it: longer than
 * any provider's timeout, so that a live worker's send is never taken over; after a
 * crash, a send is taken over (and, being ambiguous, sent again with the same stable ids)
 * once its lease ran out
 * @param retention how long a send's record is kept: longer than a delivery request can
 * be redelivered (the lanes' retention plus every retry delay)
 */
@Validated
@ConfigurationProperties("herald.delivery.ledger")
public record LedgerProperties(@DefaultValue("30s") @NotNull Duration lease,
		@DefaultValue("7d") @NotNull Duration retention) {
}
