package io.herald.gateway.preferences;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;

/**
 * Where the gateway reaches users' preferences on their behalf: routing's internal
 * endpoint {@code /actuator/userpreferences} on its management port, with the preferences
 * token ({@link RoutingTokenProperties}).
 *
 * @param routingUrl routing's management port, such as {@code http://routing:9081}; any
 * instance will do (reads are forwarded to the one that owns the user, writes are
 * commands on the log)
 * @param timeout how long a call to routing may take; above routing's own wait for a
 * write (its command log's acknowledgement, then the user state: 11 s by default)
 * @param maxConcurrentCalls how many calls to routing may be under way at once from this
 * gateway; a request beyond answers {@code 503} at once, so a slow routing holds at most
 * this many connections and requests, never all of them
 */
@Validated
@ConfigurationProperties("herald.gateway.preferences")
record PreferencesProperties(@DefaultValue("http://127.0.0.1:9081") @NotNull URI routingUrl,
		@DefaultValue("15s") @NotNull Duration timeout, @DefaultValue("64") @Min(1) int maxConcurrentCalls) {
}
