package io.herald.support.apikey;

import org.jspecify.annotations.Nullable;

import java.util.Set;

/**
 * A caller's identity once its API key was recognised.
 *
 * @param tenant the tenant the key belongs to
 * @param name the key's name, for metrics and logs (never the key itself)
 * @param scopes what the key may do
 * @param eventsPerSecond the key's own rate limit, or {@code null} for the default
 */
public record ApiKey(String tenant, String name, Set<Scope> scopes, @Nullable Integer eventsPerSecond) {

	/** Whether the key may do what a scope allows. */
	public boolean allows(Scope scope) {
		return this.scopes.contains(scope);
	}

}
