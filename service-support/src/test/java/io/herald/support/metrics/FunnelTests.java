package io.herald.support.metrics;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.herald.events.HeaderNames;
import io.herald.support.metrics.Funnel.Stage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FunnelTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final Funnel funnel = new Funnel(this.registry);

	@Test
	void countsEachStageWithTheSameTags() {
		this.funnel.count(Stage.SENT, "acme", "email", "high", "rejected", "bad_address");
		this.funnel.count(Stage.SENT, "acme", "email", "high", "rejected", "bad_address", 2);
		assertThat(this.registry.get("herald.funnel")
			.tags("stage", "sent", "tenant", "acme", "channel", "email", "priority", "high", "outcome", "rejected",
					"reason", "bad_address")
			.counter()
			.count()).isEqualTo(3);
	}

	@Test
	void theAcceptanceTimeTravelsInAHeaderAndAMissingOrGarbledOneFallsBack() {
		Instant accepted = Instant.parse("2026-11-23T10:00:00.123Z");
		Instant fallback = Instant.parse("2026-11-23T10:00:05Z");
		RecordHeaders headers = new RecordHeaders();
		assertThat(Funnel.acceptedAt(headers, fallback)).isEqualTo(fallback);
		Funnel.addAcceptedAt(headers, accepted);
		Funnel.addAcceptedAt(headers, accepted);
		assertThat(headers.headers(HeaderNames.ACCEPTED_AT)).hasSize(1);
		assertThat(Funnel.acceptedAt(headers, fallback)).isEqualTo(accepted);
		RecordHeaders garbled = new RecordHeaders();
		garbled.add(HeaderNames.ACCEPTED_AT, "yesterday".getBytes(StandardCharsets.UTF_8));
		assertThat(Funnel.acceptedAt(garbled, fallback)).isEqualTo(fallback);
	}

	@Test
	void aLatencyFromTheFutureIsRecordedAsZero() {
		this.funnel.latency("inbox", "inapp", "critical", Instant.now().plusSeconds(60));
		var timer = this.registry.get("herald.funnel.latency").tags("to", "inbox", "channel", "inapp").timer();
		assertThat(timer.count()).isEqualTo(1);
		assertThat(timer.max(TimeUnit.MILLISECONDS)).isZero();
	}

}
