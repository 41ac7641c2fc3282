package io.herald.localstack;

import io.herald.client.UserTokenMinter;

import java.time.Duration;
import java.time.Instant;

/**
 * Mints user tokens for the demo tenant, such as the one the printed demo inbox link
 * carries for {@value #DEMO_USER}: a compact JWS signed with HS256 and the demo JWT
 * secret (the key the gateway holds for the demo tenant), with {@code sub} = the user,
 * {@code tid} = the tenant, {@code iat} and an {@code exp} {@link #LIFETIME} later. A
 * development convenience only: real tokens come from the product's own login, never from
 * the platform.
 */
public final class DemoUserToken {

	/** The user id the demo inbox link and the printed curl command share. */
	static final String DEMO_USER = "demo-user";

	/**
	 * Long enough that a link printed by {@code ./platform up} keeps working through a
	 * week of development.
	 */
	static final Duration LIFETIME = Duration.ofDays(30);

	private DemoUserToken() {
	}

	/**
	 * Mints a token of a user of the demo tenant.
	 * @param tenant the demo tenant, the token's {@code tid}
	 * @param secret the demo JWT secret, at least 32 bytes
	 * @param userId the user, the token's {@code sub}
	 * @param issuedAt the token's {@code iat}, truncated to seconds as JWT dates are
	 * @return the serialized token
	 */
	public static String mint(String tenant, String secret, String userId, Instant issuedAt) {
		// LocalStackSettings already requires the 32 bytes HS256 needs.
		return UserTokenMinter.hs256(tenant, secret).mint(userId, issuedAt, LIFETIME);
	}

}
