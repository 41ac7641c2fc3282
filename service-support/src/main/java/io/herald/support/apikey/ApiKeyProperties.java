package io.herald.support.apikey;

import io.herald.events.Identifiers;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.util.List;
import java.util.Set;

/**
 * The API keys Herald accepts, stored as SHA-256 hashes: the keys themselves are never
 * configured, logged or kept in memory.
 *
 * @param apiKeys the keys, each belonging to one tenant
 */
@Validated
@ConfigurationProperties("herald")
public record ApiKeyProperties(@Nullable List<@Valid Entry> apiKeys) {

	public ApiKeyProperties {
		apiKeys = (apiKeys != null) ? List.copyOf(apiKeys) : List.of();
	}

	/**
	 * One API key.
	 *
	 * @param tenant the tenant the key belongs to
	 * @param name a name for metrics and logs
	 * @param sha256 the lower-case hex SHA-256 of the key
	 * @param scopes what the key may do; every scope when empty
	 * @param eventsPerSecond the key's own rate limit; the default one when unset
	 */
	public record Entry(@NotBlank @Pattern(regexp = Identifiers.TENANT_REGEX) String tenant, @NotBlank String name,
			@NotBlank @Pattern(regexp = "[0-9a-f]{64}", message = "must be a lower-case hex SHA-256") String sha256,
			@Nullable Set<Scope> scopes, @Nullable @Positive Integer eventsPerSecond) {

		public Entry {
			scopes = (scopes == null || scopes.isEmpty()) ? Set.of(Scope.values()) : Set.copyOf(scopes);
		}

	}

}
