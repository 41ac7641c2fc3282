package io.herald.infra.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import com.eatthepath.pushy.apns.auth.ApnsVerificationKey;
import com.eatthepath.pushy.apns.auth.AuthenticationToken;
import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.server.MockApnsServerListener;
import com.eatthepath.pushy.apns.server.RejectedNotificationException;
import com.eatthepath.pushy.apns.server.RejectionReason;
import com.eatthepath.pushy.apns.server.UnregisteredDeviceTokenException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.codec.http2.Http2Headers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A local APNs: pushy's {@code MockApnsServer} on {@code 127.0.0.1}, speaking HTTP/2 over
 * TLS like {@code api.push.apple.com}, with TLS material and an APNs signing key made at
 * start. Clients trust {@link #certificatePem()} and authenticate with provider tokens
 * signed by {@link #signingKeyPem()} ({@link #TEAM_ID}, {@link #KEY_ID}), exactly as in
 * production; the sandbox verifies every token's signature.
 *
 * <p>
 * Accepted notifications are recorded in arrival order, {@link #notifications()}. Errors
 * come as APNs sends them (HTTP status and {@code {"reason": ...}}):
 * <ul>
 * <li>403 {@code MissingProviderToken} or {@code InvalidProviderToken} without a valid
 * token;</li>
 * <li>400 {@code BadDeviceToken} for a token that is not 64 to 200 hex digits;</li>
 * <li>410 {@code Unregistered} for tokens starting with {@value #DEAD_TOKEN_PREFIX} or
 * marked with {@link #markUnregistered(String)};</li>
 * <li>any {@link ApnsFailure} on demand, {@link #failNext(int, ApnsFailure)} or
 * {@link #failUntilCleared(ApnsFailure)}, answered before anything else is checked.</li>
 * </ul>
 * Thread-safe.
 */
public final class ApnsSandbox implements AutoCloseable {

	/** Tokens with this prefix (still hex) are always {@code Unregistered}. */
	public static final String DEAD_TOKEN_PREFIX = "dead";

	/** The team id of the sandbox's signing key. */
	public static final String TEAM_ID = "HERALDTEAM";

	/** The key id of the sandbox's signing key. */
	public static final String KEY_ID = "SANDBOXKEY";

	private static final Pattern TOKEN = Pattern.compile("[0-9a-fA-F]{64,200}");

	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	private final List<ApnsNotification> notifications = new CopyOnWriteArrayList<>();

	private final Set<String> unregistered = ConcurrentHashMap.newKeySet();

	private final FailurePlan<ApnsFailure> failures = new FailurePlan<>();

	private final X509Certificate certificate;

	private final KeyPair serverKey;

	private final KeyPair signingKey;

	private final ApnsVerificationKey verificationKey;

	/**
	 * pushy finds its server channel class by the group's type, and knows the NIO group,
	 * not Netty 4.2's I/O handler groups.
	 */
	@SuppressWarnings("deprecation")
	private final EventLoopGroup eventLoop = new NioEventLoopGroup(1);

	private final MockApnsServer server;

	private final int port;

	private ApnsSandbox(int port) {
		try {
			this.serverKey = ecKeyPair();
			this.certificate = selfSigned(this.serverKey);
			this.signingKey = ecKeyPair();
			this.verificationKey = new ApnsVerificationKey(KEY_ID, TEAM_ID, (ECPublicKey) this.signingKey.getPublic());
			this.server = new MockApnsServerBuilder()
				.setServerCredentials(new X509Certificate[] { this.certificate }, this.serverKey.getPrivate(), null)
				.setEventLoopGroup(this.eventLoop)
				.setHandlerFactory((session) -> this::handle)
				.setListener(new Recorder())
				.build();
			this.port = (Integer) this.server.start(port).get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (GeneralSecurityException | OperatorCreationException | IOException ex) {
			this.eventLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
			throw new IllegalStateException("Could not make the APNs sandbox's TLS material: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.eventLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
			throw new IllegalStateException("Interrupted while starting the APNs sandbox", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			this.eventLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
			throw new IllegalStateException(
					"Could not start the APNs sandbox on 127.0.0.1:" + port + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * @return a running sandbox on a free port
	 */
	public static ApnsSandbox start() {
		return new ApnsSandbox(0);
	}

	/**
	 * @param port the port on {@code 127.0.0.1}, {@code 0} for a free one
	 * @return a running sandbox
	 */
	public static ApnsSandbox start(int port) {
		return new ApnsSandbox(port);
	}

	/**
	 * @return the host to connect to; the certificate names it
	 */
	public String host() {
		return "127.0.0.1";
	}

	/**
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * @return the server's self-signed certificate, for clients to trust
	 */
	public X509Certificate certificate() {
		return this.certificate;
	}

	/**
	 * @return the server's certificate as PEM
	 */
	public String certificatePem() {
		try {
			return pem("CERTIFICATE", this.certificate.getEncoded());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * @return the APNs signing key as a PKCS#8 PEM, the format of Apple's {@code .p8}
	 * files
	 */
	public String signingKeyPem() {
		return pem("PRIVATE KEY", this.signingKey.getPrivate().getEncoded());
	}

	/**
	 * Writes the certificate ({@code apns-sandbox.pem}) and the signing key
	 * ({@code apns-sandbox-key.p8}) into a directory, for clients configured by file.
	 * @return the paths, certificate first
	 */
	public List<Path> writeFiles(Path directory) {
		try {
			Files.createDirectories(directory);
			Path certificate = Files.writeString(directory.resolve("apns-sandbox.pem"), certificatePem());
			Path key = Files.writeString(directory.resolve("apns-sandbox-key.p8"), signingKeyPem());
			return List.of(certificate, key);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write the APNs sandbox's files: " + ex.getMessage(), ex);
		}
	}

	/**
	 * @return a snapshot of the accepted notifications, oldest first
	 */
	public List<ApnsNotification> notifications() {
		return List.copyOf(this.notifications);
	}

	/**
	 * Makes every later notification to {@code token} fail with 410 {@code Unregistered}.
	 */
	public void markUnregistered(String token) {
		this.unregistered.add(token.toLowerCase(java.util.Locale.ROOT));
	}

	/** Answers the next {@code count} notifications with {@code kind}. */
	public void failNext(int count, ApnsFailure kind) {
		this.failures.failNext(count, kind);
	}

	/** Answers every notification with {@code kind} until {@link #clearFailures()}. */
	public void failUntilCleared(ApnsFailure kind) {
		this.failures.failUntilCleared(kind);
	}

	/** Cancels planned failures; unregistered tokens stay unregistered. */
	public void clearFailures() {
		this.failures.clear();
	}

	/** Forgets notifications, unregistered tokens and planned failures. */
	public void reset() {
		this.notifications.clear();
		this.unregistered.clear();
		this.failures.clear();
	}

	@Override
	public void close() {
		try {
			this.server.shutdown().get(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// Closing anyway: the event loop goes below.
		}
		this.eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
	}

	private void handle(Http2Headers headers, ByteBuf payload) throws RejectedNotificationException {
		var planned = this.failures.take();
		if (planned.isPresent()) {
			throw new RejectedNotificationException(planned.get().reason());
		}
		CharSequence authorization = headers.get("authorization");
		if (authorization == null
				|| !authorization.toString().toLowerCase(java.util.Locale.ROOT).startsWith("bearer ")) {
			throw new RejectedNotificationException(RejectionReason.MISSING_PROVIDER_TOKEN);
		}
		try {
			AuthenticationToken token = new AuthenticationToken(authorization.toString().substring("bearer ".length()));
			if (!KEY_ID.equals(token.getKeyId()) || !TEAM_ID.equals(token.getTeamId())
					|| !token.verifySignature(this.verificationKey)) {
				throw new RejectedNotificationException(RejectionReason.INVALID_PROVIDER_TOKEN);
			}
		}
		catch (RuntimeException ex) {
			// Not a JWT at all.
			throw new RejectedNotificationException(RejectionReason.INVALID_PROVIDER_TOKEN);
		}
		String deviceToken = deviceToken(headers);
		if (!TOKEN.matcher(deviceToken).matches()) {
			throw new RejectedNotificationException(RejectionReason.BAD_DEVICE_TOKEN);
		}
		String lower = deviceToken.toLowerCase(java.util.Locale.ROOT);
		if (lower.startsWith(DEAD_TOKEN_PREFIX) || this.unregistered.contains(lower)) {
			throw new UnregisteredDeviceTokenException(Instant.now());
		}
	}

	private static String deviceToken(Http2Headers headers) {
		CharSequence path = headers.path();
		String text = (path != null) ? path.toString() : "";
		int slash = text.lastIndexOf('/');
		return (slash >= 0) ? text.substring(slash + 1) : text;
	}

	private static @Nullable String header(Http2Headers headers, String name) {
		CharSequence value = headers.get(name);
		return (value != null) ? value.toString() : null;
	}

	/** Records accepted notifications. */
	private final class Recorder implements MockApnsServerListener {

		@Override
		public void handlePushNotificationAccepted(Http2Headers headers, ByteBuf payload) {
			String json = (payload != null) ? payload.toString(StandardCharsets.UTF_8) : "";
			String title = null;
			String body = null;
			try {
				JsonNode alert = SandboxHttp.JSON.readTree(json).path("aps").path("alert");
				title = alert.path("title").isString() ? alert.path("title").asString() : null;
				body = alert.path("body").isString() ? alert.path("body").asString()
						: (alert.isString() ? alert.asString() : null);
			}
			catch (JacksonException ex) {
				// Recorded as it came: the payload is what it is.
			}
			String apnsId = header(headers, "apns-id");
			ApnsSandbox.this.notifications
				.add(new ApnsNotification((apnsId != null) ? apnsId : UUID.randomUUID().toString(),
						deviceToken(headers), header(headers, "apns-topic"), header(headers, "apns-collapse-id"),
						header(headers, "apns-priority"), header(headers, "apns-push-type"), title, body, json,
						Instant.now()));
		}

		@Override
		public void handlePushNotificationRejected(Http2Headers headers, ByteBuf payload, RejectionReason reason,
				Instant deviceTokenExpirationTimestamp) {
		}

	}

	private static KeyPair ecKeyPair() throws GeneralSecurityException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		return generator.generateKeyPair();
	}

	private static X509Certificate selfSigned(KeyPair key)
			throws GeneralSecurityException, OperatorCreationException, IOException {
		Instant now = Instant.now();
		X500Name name = new X500Name("CN=127.0.0.1, O=Herald APNs sandbox");
		JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
				BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofDays(1))),
				Date.from(now.plus(Duration.ofDays(3650))), name, key.getPublic());
		builder.addExtension(Extension.subjectAlternativeName, false,
				new GeneralNames(new GeneralName[] { new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
						new GeneralName(GeneralName.dNSName, "localhost") }));
		return new JcaX509CertificateConverter()
			.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
	}

	private static String pem(String type, byte[] der) {
		String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
		return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
	}

}
