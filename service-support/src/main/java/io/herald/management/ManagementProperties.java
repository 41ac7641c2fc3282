package io.herald.management;

import java.util.HexFormat;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may act through the management port.
 *
 * @param operatorTokenSha256 the lower-case hex SHA-256 of the operator token that every
 * write operation of an actuator endpoint (pausing a lane, replaying a dead-letter topic)
 * and every read beyond health, info and prometheus requires as
 * {@code Authorization: Bearer <token>}; from the environment only
 * ({@code HERALD_MANAGEMENT_OPERATORTOKENSHA256}). Unset: those operations are refused,
 * never open
 */
@ConfigurationProperties("herald.management")
public record ManagementProperties(@Nullable String operatorTokenSha256) {

	private static final int SHA256_HEX_LENGTH = 64;

	public ManagementProperties {
		if (operatorTokenSha256 != null && operatorTokenSha256.isBlank()) {
			operatorTokenSha256 = null;
		}
		if (operatorTokenSha256 != null) {
			operatorTokenSha256 = operatorTokenSha256.strip().toLowerCase(Locale.ROOT);
			if (operatorTokenSha256.length() != SHA256_HEX_LENGTH
					|| !operatorTokenSha256.chars().allMatch(HexFormat::isHexDigit)) {
				throw new IllegalArgumentException("herald.management.operator-token-sha256 must be the SHA-256 of the "
						+ "operator token as 64 hex digits (printf %s \"$TOKEN\" | sha256sum), not the token itself");
			}
		}
	}

	/**
	 * The configured hash as bytes, or {@code null} if no operator token is configured.
	 */
	byte @Nullable [] operatorTokenHash() {
		return (this.operatorTokenSha256 != null) ? HexFormat.of().parseHex(this.operatorTokenSha256) : null;
	}

}
