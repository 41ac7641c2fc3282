package io.herald.routing.digest;

import io.herald.events.DigestSetting;
import io.herald.events.Topics;
import io.herald.routing.template.Templates;
import io.herald.support.apikey.ApiKey;
import io.herald.support.apikey.CurrentApiKey;
import io.herald.support.apikey.Scope;
import io.herald.support.kafka.DurableWrites;
import io.herald.support.kafka.RecordsNotDurableException;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import io.herald.support.web.FieldProblem;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The digest settings API (docs/api.md, "Digests"): a tenant's digest setting per
 * category pattern. Writes need {@code TEMPLATES_WRITE}, reads {@code TEMPLATES_READ}
 * ({@code 403} otherwise): digests are how the tenant's notifications look and when they
 * go out, as templates are. The tenant is the API key's; another tenant's settings are
 * never found, listed or changed. A write is a record on {@code herald.digest-settings}
 * with {@code acks=all}; the answer comes once this instance's copy of the topic holds
 * it, so a read that follows sees it.
 */
@RestController
class DigestController {

	private static final Logger logger = LoggerFactory.getLogger(DigestController.class);

	private static final String DIGESTS = "/v1/digests";

	private static final String DIGEST = DIGESTS + "/{pattern}";

	/** How long a write may wait for the broker, and then for this instance's copy. */
	private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(5);

	private final KafkaTemplate<String, byte[]> kafka;

	private final DigestSettings settings;

	private final Templates templates;

	private final Clock clock;

	DigestController(KafkaTemplate<String, byte[]> kafka, DigestSettings settings, Templates templates) {
		this.kafka = kafka;
		this.settings = settings;
		this.templates = templates;
		this.clock = Clock.systemUTC();
	}

	/** The tenant's settings, by pattern. */
	@GetMapping(DIGESTS)
	DigestViews.ListView list(HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.TEMPLATES_READ);
		return new DigestViews.ListView(this.settings.of(key.tenant()).stream().map(DigestViews.View::of).toList());
	}

	/** One setting; {@code 404} when the tenant has none of this pattern. */
	@GetMapping(DIGEST)
	DigestViews.View get(@PathVariable String pattern, HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.TEMPLATES_READ);
		DigestSettingValidator.requirePattern(pattern);
		DigestSetting setting = this.settings.get(key.tenant(), pattern);
		if (setting == null) {
			throw unknown(pattern);
		}
		return DigestViews.View.of(setting);
	}

	/**
	 * Creates or replaces the setting of a pattern: {@code 200} with what is stored;
	 * {@code 400} for a bad pattern or body, naming each field; {@code 409} for a new
	 * pattern beyond {@value DigestSetting#MAX_PER_TENANT}; {@code 503} when the topic
	 * does not acknowledge the write.
	 */
	@PutMapping(path = DIGEST, consumes = MediaType.APPLICATION_JSON_VALUE)
	DigestViews.View put(@PathVariable String pattern, @RequestBody JsonNode body, HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.TEMPLATES_WRITE);
		DigestSettingValidator.requirePattern(pattern);
		DigestSettingValidator.Requested requested = DigestSettingValidator.validate(body);
		String tenant = key.tenant();
		if (requested.template() != null && !this.templates.contains(tenant, requested.template())) {
			throw DigestSettingValidator.rejection(List.of(new FieldProblem("template",
					"names no template of the tenant's or shared: create it first (PUT /v1/templates/{templateId})")));
		}
		if (this.settings.get(tenant, pattern) == null
				&& this.settings.of(tenant).size() >= DigestSetting.MAX_PER_TENANT) {
			throw new ApiProblemException(ErrorCode.TOO_MANY_DIGESTS, "The tenant has " + DigestSetting.MAX_PER_TENANT
					+ " digest settings; delete one first, or use a broader pattern.");
		}
		DigestSetting setting = new DigestSetting(DigestSetting.SCHEMA_VERSION, tenant, pattern, requested.window(),
				requested.dailyAt(), requested.template(), this.clock.instant());
		write(setting.key(), Topics.DIGEST_SETTINGS.codec().encode(setting), tenant);
		return DigestViews.View.of(setting);
	}

	/** Removes the setting of a pattern: {@code 204}; {@code 404} when there is none. */
	@DeleteMapping(DIGEST)
	ResponseEntity<Void> delete(@PathVariable String pattern, HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.TEMPLATES_WRITE);
		DigestSettingValidator.requirePattern(pattern);
		DigestSetting setting = this.settings.get(key.tenant(), pattern);
		if (setting == null) {
			throw unknown(pattern);
		}
		write(setting.key(), null, key.tenant());
		return ResponseEntity.noContent().build();
	}

	private void write(String recordKey, byte @Nullable [] value, String tenant) {
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.DIGEST_SETTINGS.name(), recordKey, value);
		try {
			DurableWrites.write(this.kafka, List.of(record), WRITE_TIMEOUT);
		}
		catch (RecordsNotDurableException ex) {
			logger.warn("Digest setting {} was not acknowledged: {}", recordKey, ex.toString());
			HttpHeaders headers = new HttpHeaders();
			headers.set(HttpHeaders.RETRY_AFTER, "1");
			throw new ApiProblemException(ErrorCode.SERVICE_UNAVAILABLE,
					"The digest settings topic did not acknowledge the change in time; retry later.", List.of(),
					headers);
		}
		if (!this.settings.sync(WRITE_TIMEOUT)) {
			logger.warn("Digest setting {} of tenant {} is durable but not read back in time", recordKey, tenant);
		}
	}

	private static ApiProblemException unknown(String pattern) {
		return new ApiProblemException(ErrorCode.NOT_FOUND, "The tenant has no digest setting for '" + pattern + "'.");
	}

}
