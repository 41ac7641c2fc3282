package io.herald.support.apikey;

import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Recognises API keys by their SHA-256. A lookup hashes the presented key and looks the
 * hash up, so the time it takes says nothing about how close a guess was.
 */
public class ApiKeyRegistry {

	private final Map<String, ApiKey> keysByHash = new HashMap<>();

	public ApiKeyRegistry(ApiKeyProperties properties) {
		for (ApiKeyProperties.Entry entry : properties.apiKeys()) {
			ApiKey previous = this.keysByHash.put(entry.sha256(),
					new ApiKey(entry.tenant(), entry.name(), entry.scopes(), entry.eventsPerSecond()));
			if (previous != null) {
				throw new IllegalStateException("API key '" + entry.name() + "' has the same hash as '"
						+ previous.name() + "': every key must be unique");
			}
		}
	}

	/** The key's identity, or {@code null} for a key Herald does not know. */
	public @Nullable ApiKey find(String presentedKey) {
		return this.keysByHash.get(sha256(presentedKey));
	}

	/**
	 * The lower-case hex SHA-256 of a key, as configured in
	 * {@code herald.api-keys[].sha256}.
	 */
	public static String sha256(String key) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			return HexFormat.of().formatHex(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every Java runtime has SHA-256", ex);
		}
	}

}
