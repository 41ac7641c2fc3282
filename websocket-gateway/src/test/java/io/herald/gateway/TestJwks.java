package io.herald.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

/**
 * A tenant's backend that signs user tokens with its own private keys and publishes the
 * public ones as a JWK set over HTTP, at {@link #url()}, as the gateway's
 * {@code jwks-url} expects.
 */
public final class TestJwks implements AutoCloseable {

	private final AtomicReference<JWKSet> published = new AtomicReference<>(new JWKSet());

	private final AtomicInteger fetches = new AtomicInteger();

	private final HttpServer server;

	public TestJwks() {
		try {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.createContext("/jwks.json", (exchange) -> {
			this.fetches.incrementAndGet();
			byte[] body = this.published.get().toString(true).getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		this.server.start();
	}

	/** Publishes these keys' public halves, replacing what was published. */
	public TestJwks publish(JWK... keys) {
		this.published.set(new JWKSet(Arrays.stream(keys).map(JWK::toPublicJWK).toList()));
		return this;
	}

	/** Where the set is served. */
	public URI url() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/jwks.json");
	}

	/** How often the set was fetched. */
	public int fetches() {
		return this.fetches.get();
	}

	/** Stops serving: a fetch then fails. */
	@Override
	public void close() {
		this.server.stop(0);
	}

	/** A new 2048-bit RSA key with this key id. */
	public static RSAKey rsaKey(String keyId) {
		try {
			return new RSAKeyGenerator(2048).keyID(keyId).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A new P-256 key with this key id. */
	public static ECKey ecKey(String keyId) {
		try {
			return new ECKeyGenerator(Curve.P_256).keyID(keyId).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A token with these claims, RS256 or ES256 by the key's type, naming the key's id.
	 */
	public static String token(JWK key, JWTClaimsSet claims) {
		try {
			JWSSigner signer = (key instanceof RSAKey rsa) ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
			JWSAlgorithm algorithm = (key instanceof RSAKey) ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256;
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(), claims);
			jwt.sign(signer);
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
