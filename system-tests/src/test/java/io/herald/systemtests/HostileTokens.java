package io.herald.systemtests;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** User tokens, good and bad, for the gateway's hostile-input suites. */
final class HostileTokens {

	private HostileTokens() {
	}

	/**
	 * A valid token of {@code user} in {@code tenant}, signed with {@code secret}, for an
	 * hour.
	 */
	static String valid(String tenant, String secret, String user) {
		Instant now = Instant.now();
		return hs(JWSAlgorithm.HS256, tenant, secret, user, now, now.plus(Duration.ofHours(1)));
	}

	/** A token that expired {@code ago} ago. */
	static String expired(String tenant, String secret, String user, Duration ago) {
		Instant expiry = Instant.now().minus(ago);
		return hs(JWSAlgorithm.HS256, tenant, secret, user, expiry.minus(Duration.ofHours(1)), expiry);
	}

	/** A token signed with a MAC algorithm other than HS256. */
	static String otherAlgorithm(String tenant, String secret, String user) {
		String longSecret = secret.repeat(2);
		Instant now = Instant.now();
		return hs(JWSAlgorithm.HS512, tenant, longSecret, user, now, now.plus(Duration.ofHours(1)));
	}

	/**
	 * The token with its signature changed: its first character, which carries six bits
	 * of the signature (the last one may carry padding bits a decoder ignores).
	 */
	static String tampered(String token) {
		int signature = token.lastIndexOf('.') + 1;
		char first = token.charAt(signature);
		return token.substring(0, signature) + ((first == 'A') ? 'B' : 'A') + token.substring(signature + 1);
	}

	/** An unsigned token ({@code alg: none}) claiming the user of the tenant. */
	static String unsigned(String tenant, String user) {
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		long exp = Instant.now().plus(Duration.ofHours(1)).getEpochSecond();
		String header = base64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
		String claims = base64
			.encodeToString(("{\"sub\":\"" + user + "\",\"tid\":\"" + tenant + "\",\"exp\":" + exp + "}")
				.getBytes(StandardCharsets.UTF_8));
		return header + "." + claims + ".";
	}

	private static String hs(JWSAlgorithm algorithm, String tenant, String secret, String user, Instant issuedAt,
			Instant expiresAt) {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(user)
			.claim("tid", tenant)
			.issueTime(Date.from(issuedAt))
			.expirationTime(Date.from(expiresAt))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
		try {
			jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
		}
		catch (JOSEException ex) {
			throw new IllegalArgumentException(ex);
		}
		return jwt.serialize();
	}

}
