package io.herald.routing.digest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.herald.events.DigestSetting;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;

/** The bodies the digest API answers with. */
final class DigestViews {

	private DigestViews() {
	}

	/**
	 * One setting: {@code pattern}, {@code window} or {@code dailyAt}, {@code template}
	 * (the default {@value DigestSetting#DEFAULT_TEMPLATE} when none was given),
	 * {@code updatedAt}.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record View(String pattern, @Nullable String window, @Nullable String dailyAt, String template, Instant updatedAt) {

		static View of(DigestSetting setting) {
			return new View(setting.pattern(), setting.window(),
					(setting.dailyAt() != null) ? setting.dailyAt().toString() : null, setting.templateOrDefault(),
					setting.updatedAt());
		}

	}

	/** {@code GET /v1/digests}: sorted by pattern. */
	record ListView(List<View> digests) {
	}

}
