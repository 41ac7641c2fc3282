package io.herald.delivery.fcm;

import io.herald.delivery.provider.ProviderLimits;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Firebase projects that send Android and web push through FCM HTTP v1, tried in this
 * order.
 *
 * @param providers the projects; none means Android and web devices get no push
 */
@Validated
@ConfigurationProperties("herald.delivery.fcm")
public record FcmProperties(@DefaultValue List<@Valid Project> providers) {

	/**
	 * One Firebase project.
	 *
	 * @param name the provider's name in metrics, status logs and failover order
	 * @param projectId the Firebase project id
	 * @param credentials a service-account JSON file; without it (and without an access
	 * token), Google's application-default credentials
	 * @param accessToken a fixed OAuth access token instead of credentials: only for a
	 * local FCM sandbox, which accepts any token
	 * @param rootUrl FCM's API root; another value (a local sandbox, a proxy) receives
	 * the SDK's requests instead
	 * @param timeout how long to wait to connect, and for an answer
	 * @param maxInFlight the most messages waiting for FCM's answer at once
	 * @param ratePerSecond the most messages per second ({@code 0}: no limit)
	 */
	public record Project(@DefaultValue("fcm") @NotBlank String name, @NotBlank String projectId,
			@Nullable Path credentials, @Nullable String accessToken,
			@DefaultValue("https://fcm.googleapis.com") @NotNull URI rootUrl,
			@DefaultValue("10s") @NotNull Duration timeout,
			@DefaultValue("" + ProviderLimits.DEFAULT_MAX_IN_FLIGHT) @Min(1) int maxInFlight,
			@DefaultValue("0") @DecimalMin("0") double ratePerSecond) {

		public Project {
			if (credentials != null && accessToken != null) {
				throw new IllegalArgumentException(
						"FCM project '" + name + "' takes 'credentials' or 'access-token', not both");
			}
		}

	}

}
