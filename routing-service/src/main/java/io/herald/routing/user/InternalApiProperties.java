package io.herald.routing.user;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How routing instances talk to each other.
 *
 * @param internalToken the shared secret every instance sends as {@code X-Herald-Internal} and
 * requires on {@code /internal/**}; every instance must have the same one. The default suits one
 * machine only: production sets its own ({@code HERALD_ROUTING_INTERNALTOKEN}) and keeps the
 * internal endpoints off the public network
 */
@Validated
@ConfigurationProperties("herald.routing")
record InternalApiProperties(@DefaultValue("herald-internal") @NotBlank String internalToken) {
}
