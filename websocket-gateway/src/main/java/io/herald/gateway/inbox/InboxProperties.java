package io.herald.gateway.inbox;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Users' in-app inboxes.
 *
 * @param maxLength the most notifications an inbox keeps; older ones are trimmed (a client
 * resuming from before the oldest kept one gets {@code reset})
 * @param retention how long a notification stays in the inbox (older ones are trimmed, and an
 * inbox without appends for this long expires as a whole; its seq counter never does)
 * @param priorityConsumers listener threads on the priority lane
 * @param bulkConsumers listener threads on the bulk lane: a separate container, so bulk never
 * delays priority
 * @param statusTimeout how long the writer waits for the broker to acknowledge a batch's status
 * records before it fails the batch (which is then retried)
 */
@Validated
@ConfigurationProperties("herald.gateway.inbox")
public record InboxProperties(@DefaultValue("1000") @Min(1) int maxLength,
		@DefaultValue("30d") @NotNull Duration retention, @DefaultValue("2") @Min(1) int priorityConsumers,
		@DefaultValue("2") @Min(1) int bulkConsumers, @DefaultValue("10s") @NotNull Duration statusTimeout) {
}
