package io.herald.routing.template;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Templates: the shared ones of the service's files, loaded once at startup and published
 * to the template catalog topic before the service reports ready, and the tenants' own,
 * written through the template API.
 *
 * @param directory a directory holding one sub-directory per template id; when unset, the
 * templates packaged in the service under {@code classpath:templates/}
 * @param publishTimeout how long one attempt to publish the shared templates may take
 * (reading the topic, then every write acknowledged); a failed attempt is retried until
 * it succeeds
 * @param catalogWait how long routing waits for this instance's tenant templates to reach
 * the catalog position an event's ingestion had read, before rendering it with what was
 * read
 * @param maxPerTenant most templates of its own one tenant may have; one more is
 * {@code 409}
 * @param maxVersions versions of a template kept for {@code GET .../versions/{n}}, newest
 * first; older ones are forgotten
 * @param maxBody largest request body of {@code /v1/templates/**}: the largest template
 * @param commandTimeout how long a write waits for {@code herald.template-commands} to
 * acknowledge its command before answering {@code 503}
 * @param writeTimeout how long a write then waits until its outcome is decided and the
 * version is in force, before answering {@code 202} (durable, in force shortly)
 * @param syncTimeout how long a read waits for this instance's tenant templates to read
 * every change acknowledged before it
 * @param queryTimeout how long a read of a template's history retries while the template
 * store is rebalancing or its owner cannot be reached, before answering {@code 503}
 * @param unavailableRetryAfter the {@code Retry-After} of a {@code 503}
 */
@Validated
@ConfigurationProperties("herald.routing.templates")
public record TemplateProperties(@Nullable Path directory, @DefaultValue("30s") @NotNull Duration publishTimeout,
		@DefaultValue("5s") @NotNull Duration catalogWait, @DefaultValue("500") @Min(1) int maxPerTenant,
		@DefaultValue("20") @Min(1) int maxVersions, @DefaultValue("128KB") @NotNull DataSize maxBody,
		@DefaultValue("6s") @NotNull Duration commandTimeout, @DefaultValue("5s") @NotNull Duration writeTimeout,
		@DefaultValue("2s") @NotNull Duration syncTimeout, @DefaultValue("5s") @NotNull Duration queryTimeout,
		@DefaultValue("5s") @NotNull Duration unavailableRetryAfter) {
}
