package io.herald.routing.template.api;

import io.herald.events.TemplateCommand;
import io.herald.events.Topics;
import io.herald.routing.query.StoreReads;
import io.herald.routing.template.TemplateProperties;
import io.herald.routing.template.TenantTemplates;
import io.herald.routing.template.TenantTemplates.TenantTemplate;
import io.herald.routing.template.store.TemplateStateQueries;
import io.herald.routing.template.store.TemplateVerdicts;
import io.herald.support.kafka.DurableWrites;
import io.herald.support.kafka.RecordsNotDurableException;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Carries out the template API's writes: each write is one {@link TemplateCommand} on
 * {@code herald.template-commands}, published with {@code acks=all}; then the API waits,
 * at most {@link TemplateProperties#writeTimeout()}, for the fold's verdict, and for a
 * version that came into force (or a deletion) to be in this instance's catalog. This
 * instance reads the catalog topic only up to what every in-sync replica has, so once it
 * holds the version the version is durable, and every ingestion and routing instance,
 * which sync with the topic before they check or render an event (docs/adr/025), uses it
 * for every event accepted after the answer.
 */
@Component
class TemplateWrites {

	private static final Logger logger = LoggerFactory.getLogger(TemplateWrites.class);

	/** How often the verdict and the catalog are looked at while waiting. */
	private static final Duration POLL = Duration.ofMillis(20);

	private final KafkaTemplate<String, byte[]> kafka;

	private final TemplateStateQueries queries;

	private final TenantTemplates catalog;

	private final TemplateProperties properties;

	private final Clock clock;

	TemplateWrites(KafkaTemplate<String, byte[]> kafka, TemplateStateQueries queries, TenantTemplates catalog,
			TemplateProperties properties, ObjectProvider<Clock> clock) {
		this.kafka = kafka;
		this.queries = queries;
		this.catalog = catalog;
		this.properties = properties;
		this.clock = clock.getIfUnique(Clock::systemUTC);
	}

	/** The time of a new command. */
	Instant now() {
		return this.clock.instant();
	}

	/**
	 * Publishes a command and waits for its outcome to be decided and in force.
	 * @throws ApiProblemException {@code 503} when the command log does not acknowledge
	 * the command: nothing may have been written
	 */
	Outcome write(TemplateCommand command) {
		publish(command);
		long deadline = System.nanoTime() + this.properties.writeTimeout().toNanos();
		TemplateVerdicts.Verdict verdict = null;
		while (verdict == null) {
			if (this.queries.verdicts(command.tenant()) instanceof StoreReads.Read.Found<TemplateVerdicts> found) {
				verdict = found.value().find(command.requestId()).orElse(null);
			}
			if (verdict == null && !pause(deadline)) {
				return new Outcome.Pending();
			}
		}
		return switch (verdict.outcome()) {
			case CREATED, UPDATED, UNCHANGED, DELETED -> inForce(command, verdict, deadline);
			case PRECONDITION_FAILED, TOO_MANY_TEMPLATES, NOT_FOUND -> new Outcome.Decided(verdict, null);
		};
	}

	/** Waits until this instance's catalog holds what the verdict put in force. */
	private Outcome inForce(TemplateCommand command, TemplateVerdicts.Verdict verdict, long deadline) {
		boolean deleted = verdict.outcome() == TemplateVerdicts.Outcome.DELETED;
		while (true) {
			TenantTemplate template = this.catalog.find(command.tenant(), command.templateId());
			if (!deleted && template != null && template.version() >= verdict.version()) {
				return new Outcome.Decided(verdict, template);
			}
			if (deleted && (template == null || template.version() > verdict.version())) {
				return new Outcome.Decided(verdict, null);
			}
			if (!pause(deadline)) {
				return new Outcome.Pending();
			}
		}
	}

	private void publish(TemplateCommand command) {
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.TEMPLATE_COMMANDS.name(), command.key(),
				Topics.TEMPLATE_COMMANDS.codec().encode(command));
		try {
			DurableWrites.write(this.kafka, List.of(record), this.properties.commandTimeout());
		}
		catch (RecordsNotDurableException ex) {
			logger.warn("{} for tenant {} was not acknowledged: {}", command.getClass().getSimpleName(),
					command.tenant(), ex.toString());
			throw unavailable("The template command log did not acknowledge the change in time; retry later.",
					this.properties.unavailableRetryAfter());
		}
	}

	/** A {@code 503 service_unavailable} with {@code Retry-After}. */
	static ApiProblemException unavailable(String detail, Duration retryAfter) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
		return new ApiProblemException(ErrorCode.SERVICE_UNAVAILABLE, detail, List.of(), headers);
	}

	/** Waits a poll, unless the deadline has passed: then {@code false}. */
	static boolean pause(long deadline) {
		if (System.nanoTime() - deadline >= 0) {
			return false;
		}
		try {
			Thread.sleep(POLL);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw unavailable("The request was interrupted.", Duration.ofSeconds(1));
		}
		return true;
	}

	/** The outcome of a write whose command is durable. */
	sealed interface Outcome {

		/**
		 * The fold decided, and what it decided is in force here.
		 *
		 * @param template the template in force after a put, {@code null} otherwise
		 */
		record Decided(TemplateVerdicts.Verdict verdict, @Nullable TenantTemplate template) implements Outcome {
		}

		/**
		 * The command is durable but was not decided, or is not in force here, in time:
		 * it will be. The API answers {@code 202}.
		 */
		record Pending() implements Outcome {
		}

	}

}
