package io.herald.gateway.inbox;

import io.herald.events.Lane;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * The inbox writer's meters: {@code herald.gateway.inbox.appends{lane, outcome}} counts records
 * by outcome, {@code herald.gateway.inbox.append.delay{lane}} (a histogram) measures the time from
 * routing's {@code createdAt} to the append.
 */
@Component
class InboxMetrics {

	private final MeterRegistry meters;

	InboxMetrics(MeterRegistry meters) {
		this.meters = meters;
	}

	void count(Lane lane, Outcome outcome) {
		Counter.builder("herald.gateway.inbox.appends")
			.tag("lane", lane.topicSuffix())
			.tag("outcome", outcome.tag)
			.register(this.meters)
			.increment();
	}

	void appendDelay(Lane lane, Duration delay) {
		Timer.builder("herald.gateway.inbox.append.delay")
			.tag("lane", lane.topicSuffix())
			.publishPercentileHistogram()
			.register(this.meters)
			.record(delay.isNegative() ? Duration.ZERO : delay);
	}

	/** What became of one delivery record. */
	enum Outcome {

		APPENDED("appended"), DUPLICATE("duplicate"), EXPIRED("expired"), DEAD_LETTERED("dead_lettered");

		private final String tag;

		Outcome(String tag) {
			this.tag = tag;
		}

		/** The value of the {@code outcome} tag. */
		String tag() {
			return this.tag;
		}

	}

}
