package io.herald.support.secrets;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Refuses to let a service start with one of the local stack's demo credentials (the API
 * key {@code demo-key}, the demo HS256 secret for user tokens) unless it runs as the
 * local stack, which activates the Spring profile {@value #LOCAL_PROFILE}. The demo
 * credentials are printed in the README: a deployment that kept one would be open to
 * anyone who read it.
 *
 * <p>
 * Only the SHA-256 of each demo credential is known here, as for any API key.
 */
public final class DemoSecretsGuard {

	/**
	 * The profile the local stack runs its services with; nothing else should activate
	 * it.
	 */
	public static final String LOCAL_PROFILE = "local";

	/** SHA-256 of the local stack's demo API key. */
	static final String DEMO_API_KEY_SHA256 = "c48a01f49fd0f2cc404bc3cbbc80e91457a3d41bb429a695243de4c61794155c";

	/** SHA-256 of the local stack's demo secret for user tokens. */
	static final String DEMO_JWT_SECRET_SHA256 = "45efb74506a086167655cb529d5bae4aeb21a39368a206698a464f35f8708c79";

	private static final Set<String> DEMO_HASHES = Set.of(DEMO_API_KEY_SHA256, DEMO_JWT_SECRET_SHA256);

	private static final Bindable<List<Map<String, String>>> LIST_OF_MAPS = Bindable.of(ResolvableType
		.forClassWithGenerics(List.class, ResolvableType.forClassWithGenerics(Map.class, String.class, String.class)));

	private DemoSecretsGuard() {
	}

	/**
	 * Checks the service's configuration.
	 * @param environment the service's environment
	 * @throws IllegalStateException naming the setting that holds a demo credential,
	 * outside the local profile
	 */
	public static void check(Environment environment) {
		if (environment.acceptsProfiles(Profiles.of(LOCAL_PROFILE))) {
			return;
		}
		List<String> found = new ArrayList<>();
		Binder binder = Binder.get(environment);
		List<Map<String, String>> apiKeys = binder.bind("herald.api-keys", LIST_OF_MAPS).orElse(List.of());
		for (int i = 0; i < apiKeys.size(); i++) {
			String hash = apiKeys.get(i).get("sha256");
			if (hash != null && DEMO_HASHES.contains(hash.strip().toLowerCase(Locale.ROOT))) {
				found.add("herald.api-keys[" + i + "].sha256 (HERALD_APIKEYS_" + i + "_SHA256)");
			}
		}
		List<Map<String, String>> tenants = binder.bind("herald.gateway.jwt.tenants", LIST_OF_MAPS).orElse(List.of());
		for (int i = 0; i < tenants.size(); i++) {
			String secret = tenants.get(i).get("secret");
			if (secret != null && DEMO_HASHES.contains(sha256(secret))) {
				found.add("herald.gateway.jwt.tenants[" + i + "].secret (HERALD_GATEWAY_JWT_TENANTS_" + i + "_SECRET)");
			}
		}
		if (!found.isEmpty()) {
			throw new IllegalStateException("Refusing to start with the local stack's demo credentials in " + found
					+ ": they are published. Configure your own (docs/deployment.md, 'Secrets: what to set'), or run "
					+ "with the Spring profile '" + LOCAL_PROFILE + "' on a developer machine.");
		}
	}

	static String sha256(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

}
