package io.herald.routing.digest;

import io.herald.events.DigestSetting;
import org.jspecify.annotations.Nullable;

/** Finds a tenant's digest setting for a category. */
@FunctionalInterface
public interface DigestLookup {

	/** No tenant digests anything. */
	DigestLookup NONE = (tenant, category) -> null;

	/**
	 * The setting of the most specific pattern matching a category
	 * ({@link io.herald.events.CategoryPatterns#bestMatch}), or {@code null} when none
	 * does.
	 */
	@Nullable DigestSetting find(String tenant, String category);

}
