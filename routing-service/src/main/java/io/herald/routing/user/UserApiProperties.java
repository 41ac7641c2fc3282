package io.herald.routing.user;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Limits and timeouts of the user API.
 *
 * @param maxBody largest request body of {@code /v1/users/**} and {@code /v1/topics/**}
 * @param publishTimeout how long a write waits for {@code herald.user-commands} to
 * acknowledge its command before answering {@code 503}; keep it above the producer's
 * {@code delivery.timeout.ms}
 * @param readYourWritesTimeout how long a write then waits for the user state to show the
 * command before answering {@code 202} (durable, but not yet readable)
 * @param readYourWritesPoll how often the user state is looked at while waiting
 * @param queryTimeout how long a read retries while the state store is rebalancing or
 * restoring, or its owner cannot be reached, before answering {@code 503}
 * @param queryRetryInterval the pause between those retries
 * @param forwardTimeout how long a read forwarded to the instance that owns the user may
 * take
 * @param unavailableRetryAfter the {@code Retry-After} of a {@code 503}
 */
@Validated
@ConfigurationProperties("herald.routing.users")
record UserApiProperties(@DefaultValue("64KB") @NotNull DataSize maxBody,
		@DefaultValue("6s") @NotNull Duration publishTimeout,
		@DefaultValue("5s") @NotNull Duration readYourWritesTimeout,
		@DefaultValue("20ms") @NotNull Duration readYourWritesPoll, @DefaultValue("5s") @NotNull Duration queryTimeout,
		@DefaultValue("100ms") @NotNull Duration queryRetryInterval,
		@DefaultValue("2s") @NotNull Duration forwardTimeout,
		@DefaultValue("5s") @NotNull Duration unavailableRetryAfter) {
}
