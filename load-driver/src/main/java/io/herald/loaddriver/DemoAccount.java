package io.herald.loaddriver;

/**
 * The local stack's demo tenant, API key and user-token secret: what
 * {@code ./platform up} configures unless told otherwise, and what the load driver uses
 * by default. Only good on a developer's machine; the services refuse to start with them
 * outside the local profile.
 */
public final class DemoAccount {

	/** The demo tenant. */
	public static final String TENANT = "demo";

	/** The demo API key, in clear (the services receive only its SHA-256). */
	public static final String API_KEY = "demo-key";

	/** The HS256 secret of the demo tenant's user tokens (API.md section 5), 44 bytes. */
	public static final String JWT_SECRET = "demo-secret-0123456789abcdef0123456789abcdef";

	private DemoAccount() {
	}

}
