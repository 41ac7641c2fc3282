package io.herald.events;

/**
 * What a user's category rule says about digests (docs/adr/036).
 */
public sealed interface DigestChoice {

	/** Nothing: the tenant's digest setting applies. */
	record Tenant() implements DigestChoice {
	}

	/** Send the category at once, never in a digest. */
	record Off() implements DigestChoice {
	}

	/** Digest the category over this window, whatever the tenant's setting. */
	record Digest(DigestWindow window) implements DigestChoice {
	}

}
